using Payments.Drill;
using Payments.Integration.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Payments.Integration.Tests.Failover;

/// <summary>
/// The whole of region-a lost at once under load on both APIs, its database with it: the PostgreSQL primary and its
/// Patroni, its etcd member, its Redis and sentinel, its silo and API, all SIGKILLed. The terminals are plain clients
/// of the front door (one address per region, no failover of their own): region-b's API, reached through region-a's
/// front door address, serves region-a's clients from the promoted standby; then region-a comes back, its old primary
/// rejoins as a standby, and its accounts return to it. Nothing approved is lost or doubled, and nothing the old
/// primary may have written alone survives.
/// </summary>
[Collection(RealServersCollection.Name)]
public sealed class RegionLossTests(RealServers servers, ITestOutputHelper output)
{
    private const long DailyLimit = 2_000_000;
    private static readonly TimeSpan Settle = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task Region_a_lost_with_its_database_primary_is_served_by_region_b_and_rejoins_as_a_standby()
    {
        var lostPrimary = servers.Topology.Members("postgres", "region-a").Single();
        await servers.SwitchoverAsync(lostPrimary);
        await using var topology = new PaymentsTopology(servers);
        var siloA = await topology.StartSiloAsync("region-a");
        await topology.StartSiloAsync("region-b");
        var apiA = await topology.StartApiAsync("region-a");
        var apiB = await topology.StartApiAsync("region-b");
        await using var frontDoor = await FrontDoor.StartAsync(servers, [apiA, apiB], topology.LogDirectory);
        var runId = $"rl{Guid.NewGuid():N}"[..12];
        var accounts = await AccountSetup.OpenAsync(frontDoor.Addresses, PaymentsTopology.AdminKey, runId, perRegion: 4, 5_000_000, DailyLimit);
        await RegionsView.WaitUntilServedByAsync(apiB, "region-a", "region-a", Settle);

        // A terminal keeps retrying a payment for a minute: the store's promotion is part of this outage.
        using var terminal = new PaymentTerminal(
            frontDoor.Addresses, PaymentsTopology.TerminalKey, new TerminalOptions { Mode = TerminalMode.Plain, RetryBudget = TimeSpan.FromSeconds(60) });
        var fleet = new TerminalFleet(terminal, runId, TimeSpan.FromMilliseconds(50));
        using var stop = new CancellationTokenSource();
        var load = fleet.RunAsync(accounts, stop.Token);
        await Task.Delay(TimeSpan.FromSeconds(3));

        var lostAt = DateTimeOffset.UtcNow;
        siloA.Kill();
        apiA.Kill();
        string promoted;
        PaymentOutcome failedOver;
        try
        {
            await servers.KillSiteAsync("region-a");
            // Region-b may take region-a's clients over before the script has killed the old primary (the silo is gone
            // first): only a payment sent once the whole site is dead shows the promoted standby serving them.
            var siteDeadAt = DateTimeOffset.UtcNow;
            failedOver = await fleet.WaitForFirstAsync(
                o => o.HomeRegion == "region-a" && o.DecidedBy == "region-b" && o.Result == PaymentOutcome.Approved && o.SentAt > siteDeadAt,
                Settle);
            promoted = await servers.PrimaryAsync();
            await Task.Delay(TimeSpan.FromSeconds(3));
        }
        finally
        {
            // Also when the test fails: the servers are shared with the tests after this one.
            await servers.RestoreAsync();
        }

        var restoredAt = DateTimeOffset.UtcNow;
        await siloA.StartAsync();
        await apiA.StartAsync();
        await RegionsView.WaitUntilServedByAsync(apiB, "region-a", "region-a", Settle);
        var returned = await fleet.WaitForFirstAsync(
            o => o.HomeRegion == "region-a" && o.DecidedBy == "region-a" && o.AnsweredAt > restoredAt, Settle);
        await Task.Delay(TimeSpan.FromSeconds(1));
        await stop.CancelAsync();
        await load;

        var outcomes = fleet.Outcomes.ToList();
        await using var connection = await servers.OpenPostgresAsync();
        var ids = accounts.Select(a => a.AccountId).ToList();
        var audit = await LedgerAudit.RunAsync(connection, ids, outcomes, DailyLimit);
        var region = outcomes.Where(o => o.HomeRegion == "region-a" && o.SentAt >= lostAt && o.SentAt < restoredAt).ToList();
        var stateChanges = frontDoor.Instances.Select(i => i.StateChanges("region-a")).ToList();
        new Measurements(output, servers).Record("region-a lost (database primary, etcd, Redis, silo, API; plain clients, front door)",
            $"RTO {(failedOver.AnsweredAt - lostAt).TotalSeconds:0.00} s (loss → first region-a payment approved by region-b); " +
            $"{promoted} promoted; return {(returned.AnsweredAt - restoredAt).TotalSeconds:0.00} s after region-a's restart began; " +
            $"RPO {audit.ApprovedAnswersMissing} approved payments missing of {outcomes.Count(o => o.Result == PaymentOutcome.Approved)}; " +
            $"{region.Sum(o => o.Attempts - 1)} failed attempts (503 or no answer) of region-a's payments during the loss, " +
            $"{outcomes.Count(o => o.Result == PaymentOutcome.Unanswered)} unanswered; " +
            $"front door instances marked region-a's API {string.Join(" / ", stateChanges.Select(c => $"[{string.Join(", ", c)}]"))}; " +
            $"{Environment.ProcessorCount} cores, shared machine");

        Assert.NotEqual(lostPrimary, promoted);
        audit.AssertConsistent();
        Assert.DoesNotContain(outcomes, o => o.Result == PaymentOutcome.Unanswered);
        await StoreReplicas.AssertRejoinedAsStandbyAsync(servers, lostPrimary, ids);
    }
}
