using Payments.Drill;
using Payments.Integration.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Payments.Integration.Tests.Failover;

/// <summary>
/// A region scales out and in under load: 2 → 3 silos, one stopped gracefully (SIGTERM), one killed (SIGKILL), and
/// one started again. Terminals retry with the same key; the ledger must hold every approval exactly once.
/// </summary>
[Collection(RealServersCollection.Name)]
public sealed class SiloScalingTests(RealServers servers, ITestOutputHelper output)
{
    private const long DailyLimit = 2_000_000;
    private static readonly TimeSpan Phase = TimeSpan.FromSeconds(4);

    [Fact]
    public async Task Region_scaling_out_and_in_under_load_loses_nothing_approved_and_the_killed_silo_s_requests_settle_on_retry()
    {
        await using var topology = new PaymentsTopology(servers);
        var first = await topology.StartSiloAsync("region-a");
        var second = await topology.StartSiloAsync("region-a");
        var api = await topology.StartApiAsync("region-a");
        var apis = new Dictionary<string, Uri> { ["region-a"] = api.BaseAddress };
        var runId = $"sc{Guid.NewGuid():N}"[..12];
        var accounts = await AccountSetup.OpenAsync(apis, PaymentsTopology.AdminKey, runId, perRegion: 8, 5_000_000, DailyLimit);

        using var terminal = new PaymentTerminal(apis, PaymentsTopology.TerminalKey, new TerminalOptions());
        var fleet = new TerminalFleet(terminal, runId, TimeSpan.FromMilliseconds(50));
        using var stop = new CancellationTokenSource();
        var load = fleet.RunAsync(accounts, stop.Token);
        var phases = new List<(string Name, DateTimeOffset At)> { ("2 silos", DateTimeOffset.UtcNow) };
        await Task.Delay(Phase);

        // Each phase starts when its action starts, so that what the action disturbs is counted in its phase.
        phases.Add(("scale out to 3 silos", DateTimeOffset.UtcNow));
        await topology.StartSiloAsync("region-a");
        await Task.Delay(Phase);

        phases.Add(("SIGTERM one silo", DateTimeOffset.UtcNow));
        await first.StopAsync();
        await Task.Delay(Phase);

        phases.Add(("SIGKILL one silo", DateTimeOffset.UtcNow));
        second.Kill();
        await Task.Delay(Phase * 2);

        phases.Add(("scale out to 2 silos again", DateTimeOffset.UtcNow));
        await topology.StartSiloAsync("region-a");
        await Task.Delay(Phase);
        await stop.CancelAsync();
        await load;

        var outcomes = fleet.Outcomes.ToList();
        await using var connection = await servers.OpenPostgresAsync();
        var audit = await LedgerAudit.RunAsync(connection, accounts.Select(a => a.AccountId).ToList(), outcomes, DailyLimit);
        var retriedByPhase = phases.Select((phase, i) =>
        {
            var end = i + 1 < phases.Count ? phases[i + 1].At : DateTimeOffset.MaxValue;
            var sent = outcomes.Where(o => o.SentAt >= phase.At && o.SentAt < end).ToList();
            return (phase.Name, Sent: sent.Count, Retried: sent.Count(o => o.Attempts > 1));
        }).ToList();
        new Measurements(output, servers).Record("silo scaling",
            string.Join("; ", retriedByPhase.Select(p => $"{p.Name}: {p.Sent} payments, {p.Retried} retried")) +
            $"; RPO {audit.ApprovedAnswersMissing} approved missing of {outcomes.Count(o => o.Result == PaymentOutcome.Approved)}");

        audit.AssertConsistent();
        Assert.DoesNotContain(outcomes, o => o.Result == PaymentOutcome.Unanswered);
        Assert.All(outcomes, o => Assert.Equal("region-a", o.DecidedBy));
    }
}
