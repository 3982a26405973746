using System.Globalization;
using Npgsql;
using Payments.LoadGen.Cli;
using Payments.LoadGen.Http;
using Payments.LoadGen.Machine;
using Payments.LoadGen.Report;
using Payments.LoadGen.Running;
using Payments.LoadGen.Setup;
using Payments.LoadGen.Workload;

namespace Payments.LoadGen.Events;

/// <summary>
/// The events figure of issue #15: while payments run, one consumer follows <c>GET /v1/events</c> and one webhook
/// endpoint delivers to a real receiver; for the payments of each measured window, how many events per second each
/// consumer took in and each event's lag from its <c>time</c> to its arrival. Two phases: the region's peak offered
/// (open loop) and the closed loop (as many payments as the system serves). Every event of a window must arrive at both
/// by the end (a final drain after the last phase), else the run exits 1.
/// </summary>
public static class EventsCommand
{
    /// <summary>Every event type of the contract, as prefixes.</summary>
    private static readonly string[] AllTypes = ["payment.*", "authorization.*", "refund.*", "deposit.*", "account.*"];

    public static async Task<int> RunAsync(Arguments args)
    {
        var payments = new Uri(args.RequiredText("payments"));
        var database = args.RequiredText("payments-db");
        var keys = new ApiKeys(args.Text("admin-key", ApiKeys.Dev.Admin), args.Text("terminal-key", ApiKeys.Dev.Terminal));
        var rate = args.Double("peak-rate", 1_500);
        var terminals = args.Int("terminals", 256);
        var warmUp = args.Seconds("warmup", 5);
        // The region was started for this command: its first phase warms up longer, as compare's first scenario does.
        var processWarmUp = args.Seconds("process-warmup", 30);
        var duration = args.Seconds("duration", 20);
        var drain = args.Seconds("drain", 30);
        var finalDrain = args.Seconds("final-drain", 180);
        var startedAt = DateTimeOffset.UtcNow;
        var runId = "e" + startedAt.ToString("MMddHHmmss", CultureInfo.InvariantCulture);
        var machine = await MachineInfo.ReadAsync(database);

        using var api = new ApiClient(payments, Math.Max(terminals, 1024), keys);
        var accounts = new AccountSet(runId, args.Int("accounts", 10_000), args.Double("zipf", 0.7));
        await AccountSeeder.OpenAsync(api, accounts.All, "Payments");
        // Registered after the accounts are open: an endpoint gets the events committed from its registration on.
        await using var sink = await WebhookSink.StartAsync();
        var (endpointId, secret) = await api.CreateWebhookEndpointAsync(sink.Url, AllTypes);
        sink.UseSecret(secret);
        Console.WriteLine($"[events] webhook endpoint {endpointId} → {sink.Url}");
        var feed = new EventArrivals("feed");
        using var stopFeed = new CancellationTokenSource();
        var following = FeedFollower.RunAsync(api, feed, stopFeed.Token);

        var recent = new RecentPayments();
        var holds = new OpenHolds();
        var recorder = new RunRecorder(recent, holds);
        var mix = new OperationMix(accounts.Pick, MixShares.Realistic, $"{runId}-k", recent, holds);
        var cpu = CpuMeter.FromArguments(null, null);
        var windows = new List<(string Name, string Load, double Approved, IReadOnlyCollection<string> Expected, DateTimeOffset From, DateTimeOffset To)>();
        async Task PhaseAsync(string name, string load, Func<MeasurementWindow, Task<Measurement>> run)
        {
            using var window = new MeasurementWindow($"events {name}", recorder, cpu, warmUp + (windows.Count == 0 ? processWarmUp : TimeSpan.Zero), duration);
            var measured = await run(window);
            var (from, to) = window.Measured;
            var expected = await EventIdsAsync(database, from, to);
            // The next phase starts once the consumers have caught up, or after the drain time.
            await DrainAsync(expected, [feed, sink.Arrivals], drain);
            windows.Add((name, load, measured.ApprovalsPerSecond, expected, from, to));
        }

        var requestRate = rate / MixShares.Realistic.PaymentShare;
        await PhaseAsync("peak", string.Create(CultureInfo.InvariantCulture, $"{rate:N0} payments/s offered ({requestRate:N0} req/s)"),
            window => OpenLoop.RunAsync(api, mix, recorder, requestRate, window));
        await PhaseAsync("closed loop", $"{terminals} terminals", window => ClosedLoop.RunAsync(api, mix, recorder, terminals, window));
        // An event late is not an event lost: every one of every window must arrive at both consumers in the end.
        await DrainAsync([.. windows.SelectMany(w => w.Expected)], [feed, sink.Arrivals], finalDrain);
        await stopFeed.CancelAsync();
        await following;
        var phases = windows.ConvertAll(w => new EventsPhase(w.Name, w.Load, w.Approved, w.Expected.Count / (w.To - w.From).TotalSeconds,
            [feed.Figures(w.Expected, w.From, w.To), sink.Arrivals.Figures(w.Expected, w.From, w.To)]));

        var report = new EventsReport(runId, startedAt, machine, args.Text("note", "nothing else was known to run."),
            args.Text("command", "scripts/bench.sh"), warmUp, processWarmUp, duration, drain, finalDrain, phases, feed.Redeliveries, sink.Arrivals.Redeliveries,
            sink.BadSignatures);
        BenchmarkDocument.Publish(args.Text("doc", "docs/benchmarks.md"), report.Render(), "events");
        if (!report.AllArrived)
        {
            Console.WriteLine("EVENTS MISSING or badly signed: see the table.");
            return 1;
        }

        return 0;
    }

    /// <summary>The ids of the events recorded in [from, to): one per ledger row (api.md: every recorded operation is one).</summary>
    private static async Task<IReadOnlyCollection<string>> EventIdsAsync(string database, DateTimeOffset from, DateTimeOffset to)
    {
        await using var connection = new NpgsqlConnection(database);
        await connection.OpenAsync();
        await using var query = new NpgsqlCommand(
            "SELECT account_id || ':' || seq FROM ledger WHERE created_at >= @from AND created_at < @to", connection);
        query.Parameters.AddWithValue("from", from);
        query.Parameters.AddWithValue("to", to);
        var ids = new List<string>();
        await using var reader = await query.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            ids.Add(reader.GetString(0));
        }

        return ids;
    }

    /// <summary>Waits until every consumer has every event of the window, or the drain time is up.</summary>
    private static async Task DrainAsync(IReadOnlyCollection<string> expected, IReadOnlyList<EventArrivals> consumers, TimeSpan drain)
    {
        var deadline = DateTimeOffset.UtcNow + drain;
        while (DateTimeOffset.UtcNow < deadline && !consumers.All(c => expected.All(c.Has)))
        {
            await Task.Delay(TimeSpan.FromMilliseconds(250));
        }
    }
}

/// <param name="ApprovedPerSecond">Approved payments per second of the window, as the load generator counted them.</param>
/// <param name="EventsPerSecond">Events recorded per second in the window (ledger rows).</param>
public sealed record EventsPhase(string Name, string Load, double ApprovedPerSecond, double EventsPerSecond, IReadOnlyList<ConsumerFigures> Consumers);
