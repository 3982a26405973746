using System.Diagnostics;
using HdrHistogram;
using Npgsql;
using Payments.Contracts;

namespace Payments.InProcess;

/// <summary>Opens the accounts, then keeps <see cref="InProcessSettings.Concurrency"/> payments in flight at all times.</summary>
public static class PaymentLoop
{
    public static async Task<InProcessResult> RunAsync(BenchSilo silo, InProcessSettings settings)
    {
        var prefix = "ip" + DateTime.UtcNow.ToString("MMddHHmmss", System.Globalization.CultureInfo.InvariantCulture);
        var accounts = Enumerable.Range(0, settings.Accounts).Select(i => $"{prefix}-a{i}").ToArray();
        var opened = Stopwatch.StartNew();
        await Parallel.ForEachAsync(accounts, new ParallelOptions { MaxDegreeOfParallelism = 64 }, async (id, _) =>
        {
            var request = new OpenAccountRequest(
                "region-a", "EUR", 1_000_000_000, new AccountLimits(50_000, 1_000_000_000, 1_000_000_000, 1_000_000_000));
            // An unavailable ledger (PostgreSQL restarting) leaves the account unopened or opened: retry settles which.
            for (var attempt = 1; ; attempt++)
            {
                var outcome = (await silo.Client.GetGrain<IAccountGrain>(id).OpenAsync(request)).Outcome;
                if (outcome is OpenOutcome.Created || (outcome is OpenOutcome.AlreadyExists && attempt > 1))
                {
                    return;
                }

                if (outcome is not OpenOutcome.Unavailable || attempt == 5)
                {
                    throw new InvalidOperationException($"Account {id}: {outcome}");
                }

                await Task.Delay(TimeSpan.FromSeconds(1));
            }
        });
        Console.WriteLine($"opened {accounts.Length:N0} accounts in {opened.Elapsed.TotalSeconds:0.0} s");

        var latency = new LongConcurrentHistogram(1, 60_000_000, 3);
        var approved = 0L;
        var unavailable = 0L;
        var measuring = false;
        using var stop = new CancellationTokenSource();
        var workers = Enumerable.Range(0, settings.Concurrency).Select(worker => Task.Run(async () =>
        {
            var random = new Random(worker);
            var sequence = 0;
            while (!stop.IsCancellationRequested)
            {
                var account = accounts[random.Next(accounts.Length)];
                var started = Stopwatch.GetTimestamp();
                var outcome = await PayAsync(silo, account, new PaymentRequest(
                    random.NextInt64(100, 5_001), "EUR", "Boulangerie du Port", "5411", $"{prefix}-w{worker}-{sequence++}"));
                if (outcome == PaymentStatus.Approved)
                {
                    Interlocked.Increment(ref approved);
                }
                else if (outcome is null)
                {
                    Interlocked.Increment(ref unavailable);
                }

                if (Volatile.Read(ref measuring))
                {
                    latency.RecordValue(Math.Max(1, Stopwatch.GetElapsedTime(started).Ticks / TimeSpan.TicksPerMicrosecond));
                }
            }
        })).ToList();

        await Task.Delay(settings.WarmUp);
        var (approvedAtStart, batchesAtStart, rowsAtStart) = (Interlocked.Read(ref approved), silo.Ledger.Batches, silo.Ledger.Rows);
        var cpuAtStart = Process.GetCurrentProcess().TotalProcessorTime;
        var clock = Stopwatch.StartNew();
        Volatile.Write(ref measuring, true);
        await Task.Delay(settings.Duration);
        Volatile.Write(ref measuring, false);
        var elapsed = clock.Elapsed;
        var (approvedAtEnd, batchesAtEnd, rowsAtEnd) = (Interlocked.Read(ref approved), silo.Ledger.Batches, silo.Ledger.Rows);
        var cores = (Process.GetCurrentProcess().TotalProcessorTime - cpuAtStart) / elapsed;
        await stop.CancelAsync();
        await Task.WhenAll(workers);

        var batches = batchesAtEnd - batchesAtStart;
        return new InProcessResult(
            ApprovedPerSecond: (approvedAtEnd - approvedAtStart) / elapsed.TotalSeconds,
            Seconds: elapsed.TotalSeconds,
            ConcurrentCalls: settings.Concurrency,
            Accounts: settings.Accounts,
            CommitsPerSecond: batches / elapsed.TotalSeconds,
            AverageBatchRows: batches == 0 ? 0 : (double)(rowsAtEnd - rowsAtStart) / batches,
            P50Ms: latency.GetValueAtPercentile(50) / 1000.0,
            P99Ms: latency.GetValueAtPercentile(99) / 1000.0,
            SiloProcessCores: cores,
            Unavailable: Interlocked.Read(ref unavailable),
            ApprovedAnswers: Interlocked.Read(ref approved),
            ApprovedInLedger: await CountApprovedAsync(settings.Postgres, prefix));
    }

    /// <summary>Approved, declined, or null when the outcome is unknown (unavailable, timed out): then nothing counts as approved.</summary>
    private static async Task<PaymentStatus?> PayAsync(BenchSilo silo, string account, PaymentRequest request)
    {
        try
        {
            return (await silo.Client.GetGrain<IAccountGrain>(account).PayAsync(request)).Payment?.Status;
        }
        catch (Exception ex) when (ex is TimeoutException or OrleansException)
        {
            return null;
        }
    }

    private static async Task<long> CountApprovedAsync(string postgres, string prefix)
    {
        await using var dataSource = NpgsqlDataSource.Create(postgres);
        await using var command = dataSource.CreateCommand(
            "SELECT count(*) FROM ledger WHERE account_id LIKE @prefix AND kind = 'payment' AND status = 'approved'");
        command.Parameters.AddWithValue("prefix", prefix + "-%");
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
