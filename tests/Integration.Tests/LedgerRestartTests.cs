using System.Text.Json.Nodes;
using Payments.Integration.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Payments.Integration.Tests;

/// <summary>A region whose every silo goes away, gracefully or not, comes back with every account exactly as it was.</summary>
[Collection(RealServersCollection.Name)]
public sealed class LedgerRestartTests(RealServers servers, ITestOutputHelper output)
{
    private static readonly Ceilings Ceilings = new(Daily: 20_000, Weekly: 30_000, Monthly: 45_000);
    private static readonly LoadProfile Load = new(Terminals: 8, MinAmount: 200, MaxAmount: 3_000, DepositEvery: 6, DepositAmount: 4_000);

    [Fact]
    public async Task Balances_counters_and_history_are_unchanged_after_every_silo_stops_or_is_killed()
    {
        await using var topology = new PaymentsTopology(servers);
        AppProcess[] silos = [await topology.StartSiloAsync("region-a"), await topology.StartSiloAsync("region-a")];
        var api = await topology.StartApiAsync("region-a");
        var accounts = await TestAccounts.OpenAsync(api, "restart", 8, 15_000, 5_000, Ceilings);
        var snapshots = new AccountSnapshots(servers, topology.ServiceId);
        var ledger = new LedgerAudit(servers);
        using var reader = api.CreateClient(PaymentsTopology.AdminKey);
        await RunLoadAsync(api, accounts, answers: 160);
        var beforeStop = await ReadAllAsync(reader, accounts);

        foreach (var silo in silos)
        {
            await silo.StopAsync();
        }

        var writtenOnStop = await LastSeqsAsync(snapshots, accounts);
        foreach (var silo in silos)
        {
            await silo.StartAsync();
        }

        var afterStop = await ReadAllAsync(reader, accounts);
        await RunLoadAsync(api, accounts, answers: 80);
        var beforeKill = await ReadAllAsync(reader, accounts);
        foreach (var silo in silos)
        {
            silo.Kill();
        }

        var staleOnKill = await LastSeqsAsync(snapshots, accounts);

        // Together, as a supervisor restarts them: each new incarnation declares its predecessor dead, which a silo
        // that joins alone cannot do for the others (it waits until their membership entries go stale).
        await Task.WhenAll(silos.Select(silo => silo.StartAsync()));

        var afterKill = await ReadAllAsync(reader, accounts);
        var ledgerSeqs = (await ledger.RowsAsync(accounts)).GroupBy(r => r.AccountId).ToDictionary(g => g.Key, g => g.Max(r => r.Seq));
        output.WriteLine($"snapshot behind the ledger after the kill: {accounts.Count(a => staleOnKill[a] < ledgerSeqs[a])} of {accounts.Count} accounts");

        Assert.Equal(beforeStop, afterStop);
        Assert.Equal(beforeKill, afterKill);
        Assert.NotEqual(beforeStop, beforeKill);
        Assert.All(accounts, a => Assert.Equal(Version(beforeStop[a]), writtenOnStop[a]));
        Assert.Contains(accounts, a => staleOnKill[a] < ledgerSeqs[a]);
        await AssertMatchesLedgerAsync(ledger, reader, accounts, afterKill);
    }

    private async Task RunLoadAsync(AppProcess api, IReadOnlyList<string> accounts, int answers)
    {
        var load = PaymentLoad.Start(api, accounts, Load);
        await using (load)
        {
            await load.WaitForAnswersAsync(answers);
            var answered = await load.StopAsync();
            Assert.All(answered, a => Assert.NotNull(a.Outcome));
        }
    }

    /// <summary>The money adds up, and each spent counter the API shows is the ledger's SQL sum over the same period.</summary>
    private static async Task AssertMatchesLedgerAsync(
        LedgerAudit ledger, HttpClient reader, IReadOnlyList<string> accounts,
        IReadOnlyDictionary<string, (string Account, string Payments)> views)
    {
        await LedgerAssert.MoneyAddsUpAsync(ledger, reader, accounts, Ceilings);
        foreach (var accountId in accounts)
        {
            var limits = JsonNode.Parse(views[accountId].Account)!["limits"]!;
            foreach (var period in new[] { "daily", "weekly", "monthly" })
            {
                var counter = limits[period]!;
                var spent = await ledger.SpentAsync(
                    accountId, (DateTimeOffset)counter["periodStart"]!, (DateTimeOffset)counter["resetsAt"]!);
                Assert.Equal(spent, (long)counter["spent"]!);
            }
        }
    }

    private static long Version((string Account, string Payments) view) => (long)JsonNode.Parse(view.Account)!["version"]!;

    private static async Task<IReadOnlyDictionary<string, (string Account, string Payments)>> ReadAllAsync(
        HttpClient reader, IReadOnlyList<string> accounts)
    {
        var views = new Dictionary<string, (string, string)>(StringComparer.Ordinal);
        foreach (var accountId in accounts)
        {
            views[accountId] = await reader.ReadAccountAsync(accountId);
        }

        return views;
    }

    private static async Task<IReadOnlyDictionary<string, long>> LastSeqsAsync(AccountSnapshots snapshots, IReadOnlyList<string> accounts)
    {
        var seqs = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var accountId in accounts)
        {
            seqs[accountId] = (await snapshots.ReadAsync(accountId))?.LastSeq ?? 0;
        }

        return seqs;
    }
}
