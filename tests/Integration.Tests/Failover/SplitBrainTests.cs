using Payments.Drill;
using Payments.Integration.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Payments.Integration.Tests.Failover;

/// <summary>
/// Both clusters serve the same accounts at once: region-b's API is forced into failover for region-a's accounts
/// while region-a's API keeps serving them from region-a. Fencing in the ledger must keep every account linearizable.
/// </summary>
[Collection(RealServersCollection.Name)]
public sealed class SplitBrainTests(RealServers servers, ITestOutputHelper output)
{
    private const long InitialBalance = 60_000;
    private const long DailyLimit = 40_000;
    private const int PaymentsPerTerminal = 40;

    [Fact]
    public async Task Two_clusters_deciding_for_the_same_accounts_take_no_seq_twice_break_no_ceiling_and_lose_no_approval()
    {
        await using var topology = new PaymentsTopology(servers);
        await topology.StartSiloAsync("region-a");
        await topology.StartSiloAsync("region-b");
        var apiA = await topology.StartApiAsync("region-a");
        var apiB = await topology.StartApiAsync("region-b");
        var apis = new Dictionary<string, Uri> { ["region-a"] = apiA.BaseAddress, ["region-b"] = apiB.BaseAddress };
        var runId = $"sb{Guid.NewGuid():N}"[..12];
        var accounts = (await AccountSetup.OpenAsync(apis, PaymentsTopology.AdminKey, runId, perRegion: 3, InitialBalance, DailyLimit))
            .Where(a => a.Region == "region-a").ToList();
        await RegionsView.WaitUntilServedByAsync(apiA, "region-a", "region-a", TimeSpan.FromSeconds(60));
        await RegionsView.ForceFailoverAsync(apiB, "region-a", forced: true);
        await RegionsView.WaitUntilServedByAsync(apiB, "region-a", "region-b", TimeSpan.FromSeconds(60));

        using var terminal = new PaymentTerminal(apis, PaymentsTopology.TerminalKey, new TerminalOptions());
        var answers = await Task.WhenAll(accounts.SelectMany(account => new[]
        {
            PayAsync(terminal, account, $"{runId}-{account.AccountId}-a", ["region-a"]),
            PayAsync(terminal, account, $"{runId}-{account.AccountId}-b", ["region-b"]),
            // The same keys through both APIs at once: a retry landing in the other region mid-flight.
            PayAsync(terminal, account, $"{runId}-{account.AccountId}-both", ["region-a", "region-b"]),
        }));
        var outcomes = answers.SelectMany(a => a).ToList();

        await using var connection = await servers.OpenPostgresAsync();
        var audit = await LedgerAudit.RunAsync(connection, accounts.Select(a => a.AccountId).ToList(), outcomes, DailyLimit);
        var disagreeing = outcomes.GroupBy(o => o.Key)
            .Count(same => same.Select(o => (o.Result, o.DecidedBy)).Distinct().Count() > 1);
        new Measurements(output, servers).Record("split brain",
            $"{outcomes.Count} answers ({outcomes.Count(o => o.Result == PaymentOutcome.Approved)} approved, " +
            $"{outcomes.Count(o => o.Result == PaymentOutcome.Declined)} declined), decided by [{string.Join(", ", audit.DecidedBy)}], " +
            $"{outcomes.Count(o => o.Attempts > 1)} needed a retry");

        audit.AssertConsistent();
        Assert.Equal(0, disagreeing);
        Assert.Equal(["region-a", "region-b"], audit.DecidedBy);
        Assert.DoesNotContain(outcomes, o => o.Result == PaymentOutcome.Unanswered);
        Assert.Contains(outcomes, o => o.Result == PaymentOutcome.Declined);
    }

    /// <summary>Pays <see cref="PaymentsPerTerminal"/> payments, each sent through every API in <paramref name="via"/> at once.</summary>
    private static async Task<List<PaymentOutcome>> PayAsync(PaymentTerminal terminal, DrillAccount account, string keyPrefix, string[] via)
    {
        var outcomes = new List<PaymentOutcome>();
        for (var n = 1; n <= PaymentsPerTerminal; n++)
        {
            var amount = 500 + (n * 137 % 2_500);
            var key = $"{keyPrefix}-{n}";
            outcomes.AddRange(await Task.WhenAll(via.Select(region => terminal.PayAsync(account, key, amount, region))));
        }

        return outcomes;
    }
}
