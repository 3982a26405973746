using System.Diagnostics;
using Payments.Drill;
using Payments.Integration.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Payments.Integration.Tests.Failover;

/// <summary>
/// Region-a fails under steady load on both regions' APIs, and comes back. The terminals are plain clients of the front
/// door (one address per region, no failover of their own): they pay with Idempotency-Keys and retry with the same key.
/// Region-a's accounts must be served by region-b's cluster within seconds, nothing approved may be lost or doubled,
/// and once region-a is back its accounts return to it.
/// </summary>
[Collection(RealServersCollection.Name)]
public sealed class RegionFailoverTests(RealServers servers, ITestOutputHelper output)
{
    private const long DailyLimit = 2_000_000;
    private static readonly TimeSpan Settle = TimeSpan.FromSeconds(60);

    [Fact]
    public Task Region_a_silos_killed_fail_over_to_region_b_and_come_back_once_through_the_front_door() =>
        RunAsync("silos-killed", killApi: false);

    [Fact]
    public Task Whole_region_a_killed_the_front_door_sends_its_plain_clients_to_region_b_and_back_once() =>
        RunAsync("region-killed", killApi: true);

    private async Task RunAsync(string scenario, bool killApi)
    {
        await using var topology = new PaymentsTopology(servers);
        var silosA = new[] { await topology.StartSiloAsync("region-a"), await topology.StartSiloAsync("region-a") };
        await topology.StartSiloAsync("region-b");
        var apiA = await topology.StartApiAsync("region-a");
        var apiB = await topology.StartApiAsync("region-b");
        await using var frontDoor = await FrontDoor.StartAsync(servers, [apiA, apiB], topology.LogDirectory);
        var runId = $"fo{Guid.NewGuid():N}"[..12];
        var accounts = await AccountSetup.OpenAsync(frontDoor.Addresses, PaymentsTopology.AdminKey, runId, perRegion: 4, 5_000_000, DailyLimit);
        await RegionsView.WaitUntilServedByAsync(apiA, "region-a", "region-a", Settle);
        await RegionsView.WaitUntilServedByAsync(apiB, "region-a", "region-a", Settle);

        using var terminal = new PaymentTerminal(frontDoor.Addresses, PaymentsTopology.TerminalKey, new TerminalOptions { Mode = TerminalMode.Plain });
        var fleet = new TerminalFleet(terminal, runId, TimeSpan.FromMilliseconds(50));
        using var stop = new CancellationTokenSource();
        var load = fleet.RunAsync(accounts, stop.Token);
        await Task.Delay(TimeSpan.FromSeconds(3));

        var killedAt = DateTimeOffset.UtcNow;
        foreach (var silo in silosA)
        {
            silo.Kill();
        }

        if (killApi)
        {
            apiA.Kill();
        }

        var failedOver = await fleet.WaitForFirstAsync(
            o => o.HomeRegion == "region-a" && o.DecidedBy == "region-b" && o.AnsweredAt > killedAt, Settle);
        await Task.Delay(TimeSpan.FromSeconds(2));

        var restartedAt = DateTimeOffset.UtcNow;
        foreach (var silo in silosA)
        {
            await silo.StartAsync();
        }

        if (killApi)
        {
            await apiA.StartAsync();
        }

        await RegionsView.WaitUntilServedByAsync(apiB, "region-a", "region-a", Settle);
        var returned = await fleet.WaitForFirstAsync(
            o => o.HomeRegion == "region-a" && o.DecidedBy == "region-a" && o.AnsweredAt > restartedAt, Settle);
        var backThroughRegionA = await fleet.WaitForFirstAsync(
            o => o.HomeRegion == "region-a" && o.AnsweredBy == "region-a" && o.AnsweredAt > restartedAt, Settle);
        await WaitUntilAsync("every front door instance marks region-a's API up", () => frontDoor.Instances.All(i => i.StateChanges("region-a") is [.., "UP"]));
        // A few seconds more of load: a flap on the way back would show in the front door's log.
        await Task.Delay(TimeSpan.FromSeconds(3));
        await stop.CancelAsync();
        await load;

        var outcomes = fleet.Outcomes.ToList();
        var stateChanges = frontDoor.Instances.Select(i => i.StateChanges("region-a")).ToList();
        await using var connection = await servers.OpenPostgresAsync();
        var audit = await LedgerAudit.RunAsync(connection, accounts.Select(a => a.AccountId).ToList(), outcomes, DailyLimit);
        var approved = outcomes.Where(o => o.Result == PaymentOutcome.Approved).ToList();
        new Measurements(output, servers).Record($"failover {scenario} (plain clients, front door)",
            $"RTO {(failedOver.AnsweredAt - killedAt).TotalSeconds:0.00} s (kill → first region-a payment approved by region-b); " +
            $"return {(returned.AnsweredAt - restartedAt).TotalSeconds:0.00} s after region-a's restart began " +
            $"(through region-a's API again {(backThroughRegionA.AnsweredAt - restartedAt).TotalSeconds:0.00} s); " +
            $"RPO {audit.ApprovedAnswersMissing} approved payments missing of {approved.Count}; " +
            $"{outcomes.Count(o => o.Attempts > 1)} payments needed a retry, {outcomes.Count(o => o.Result == PaymentOutcome.Unanswered)} unanswered; " +
            $"region-a's answers by region-b's API {outcomes.Count(o => o.HomeRegion == "region-a" && o.AnsweredBy == "region-b")}; " +
            $"front door instances marked region-a's API {string.Join(" / ", stateChanges.Select(c => $"[{string.Join(", ", c)}]"))}; " +
            $"{Environment.ProcessorCount} cores");

        audit.AssertConsistent();
        // Out once and back once, in each instance: no flapping between the regions on the way back.
        Assert.All(stateChanges, changes => Assert.Equal(["DOWN", "UP"], changes));
        Assert.Equal(["region-a", "region-b"], audit.DecidedBy);
        Assert.DoesNotContain(outcomes, o => o.Result == PaymentOutcome.Unanswered);
    }

    private static async Task WaitUntilAsync(string what, Func<bool> condition)
    {
        var waited = Stopwatch.StartNew();
        while (!condition())
        {
            if (waited.Elapsed > Settle)
            {
                throw new TimeoutException($"Not within {Settle}: {what}.");
            }

            await Task.Delay(100);
        }
    }
}
