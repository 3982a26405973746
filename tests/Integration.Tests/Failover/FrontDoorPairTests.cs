using Payments.Integration.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Payments.Integration.Tests.Failover;

/// <summary>
/// The front door's own failure: of its two HAProxy instances, the one carrying region-a's clients is SIGKILLed under
/// keyed payment and deposit load. The clients know one address; the requests the dead instance held are lost with
/// their connections and sent again, same key, through the surviving instance. The ledger must hold every answer
/// exactly once and nothing else, and every balance must add up.
/// </summary>
[Collection(RealServersCollection.Name)]
public sealed class FrontDoorPairTests(RealServers servers, ITestOutputHelper output)
{
    private static readonly Ceilings Ceilings = new(Daily: 2_000_000, Weekly: 14_000_000, Monthly: 62_000_000);
    private static readonly LoadProfile Load = new(Terminals: 8, MinAmount: 100, MaxAmount: 2_000, DepositEvery: 10, DepositAmount: 5_000);

    [Fact]
    public async Task One_front_door_instance_killed_under_keyed_load_loses_no_payment_and_doubles_none()
    {
        await using var topology = new PaymentsTopology(servers);
        await topology.StartSiloAsync("region-a");
        await topology.StartSiloAsync("region-b");
        var apiA = await topology.StartApiAsync("region-a");
        var apiB = await topology.StartApiAsync("region-b");
        await using var frontDoor = await FrontDoor.StartAsync(servers, [apiA, apiB], topology.LogDirectory);
        var accounts = await TestAccounts.OpenAsync(apiA, "fd", 6, 5_000_000, 50_000, Ceilings);

        await using var load = PaymentLoad.Start(frontDoor.Address("region-a"), accounts, Load);
        await load.WaitForAnswersAsync(400);
        var sessions = await Task.WhenAll(frontDoor.Instances.Select(i => i.SessionsAsync("region-a")));
        var busiest = frontDoor.Instances[Array.IndexOf(sessions, sessions.Max())];
        var killedAt = DateTimeOffset.UtcNow;
        var answeredBeforeTheKill = load.AnsweredCount;
        busiest.Process.Kill();
        await load.WaitForAnswersAsync(answeredBeforeTheKill + 400);
        var answers = await load.StopAsync();

        var ledger = new Infrastructure.LedgerAudit(servers);
        var hit = answers.Where(a => a.Attempts.Any(t => t.At >= killedAt && t.Status != 201 && t.Status != 200)).ToList();
        new Measurements(output, servers).Record("front door instance SIGKILLed",
            $"{answers.Describe()}; {hit.Count} requests failed at the kill and were sent again " +
            $"(answered within {(hit.Count == 0 ? 0 : hit.Max(a => a.Elapsed.TotalSeconds)):0.00} s); " +
            $"sessions per instance before the kill [{string.Join(", ", sessions)}]");

        Assert.True(sessions.Max() > 0, "the killed instance carried no client: the kill proved nothing");
        Assert.All(answers, a => Assert.Contains(a.FinalStatus, new[] { 200, 201 }));
        await LedgerAssert.AnswersAreTheLedgerAsync(ledger, accounts, answers);
        using var reader = apiA.CreateClient(PaymentsTopology.AdminKey);
        await LedgerAssert.MoneyAddsUpAsync(ledger, reader, accounts, Ceilings);
    }
}
