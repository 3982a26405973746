using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using Payments.Integration.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Payments.Integration.Tests;

/// <summary>
/// The account snapshot is a cache of the ledger: written by a reminder while the account has unsaved changes and
/// on deactivation; an activation reads it and replays only the ledger rows after it.
/// </summary>
[Collection(RealServersCollection.Name)]
public sealed class SnapshotTests(RealServers servers, ITestOutputHelper output)
{
    private static readonly Ceilings Ceilings = new(Daily: 50_000, Weekly: 100_000, Monthly: 200_000);

    private static readonly Dictionary<string, string> DebugActivations = new()
    {
        ["Logging__LogLevel__Payments.Accounts"] = "Debug",
    };

    private static readonly Dictionary<string, string> ShortSnapshots = new(DebugActivations)
    {
        ["Payments__Snapshots__Period"] = "00:00:02",
    };

    [Fact]
    public async Task The_snapshot_reminder_catches_up_with_the_ledger_while_the_account_stays_active()
    {
        await using var topology = new PaymentsTopology(servers);
        var (silo, api, snapshots, accountId) = await OpenAccountAsync(topology, ShortSnapshots);
        var opened = await snapshots.ReadAsync(accountId);

        await PayAsync(api, accountId, 5);
        var waited = Stopwatch.StartNew();
        var caughtUp = await WaitForSnapshotAsync(snapshots, accountId, lastSeq: 6);
        output.WriteLine($"Snapshot caught up {waited.ElapsedMilliseconds} ms after the last payment (period 2 s)");

        Assert.Equal(1, opened!.LastSeq);
        Assert.True(caughtUp.Version > opened.Version);
        Assert.Equal(20_000 - 5 * 100, caughtUp.Balance);
        Assert.Equal(1, Activations(silo.ReadLog(), accountId));
    }

    [Fact]
    public async Task An_activation_replays_only_the_ledger_rows_after_its_snapshot()
    {
        await using var topology = new PaymentsTopology(servers);
        var (silo, api, snapshots, accountId) = await OpenAccountAsync(topology, DebugActivations);
        using var reader = api.CreateClient(PaymentsTopology.AdminKey);
        await PayAsync(api, accountId, 4);
        await silo.StopAsync();
        var onFirstStop = await snapshots.ReadAsync(accountId);
        await silo.StartAsync();

        // Killed a few seconds after three more payments, long before the one-minute reminder: the snapshot is behind.
        await PayAsync(api, accountId, 3);
        var beforeKill = await reader.ReadAccountAsync(accountId);
        silo.Kill();
        var stale = await snapshots.ReadAsync(accountId);
        await silo.StartAsync();
        var afterKill = await reader.ReadAccountAsync(accountId);
        var killLog = silo.ReadLog();

        // Without its snapshot row the account is rebuilt from the whole ledger.
        await silo.StopAsync();
        var onSecondStop = await snapshots.ReadAsync(accountId);
        await snapshots.DeleteAsync(accountId);
        await silo.StartAsync();
        var fromLedgerOnly = await reader.ReadAccountAsync(accountId);
        var ledgerOnlyLog = silo.ReadLog();

        Assert.Equal(5, onFirstStop!.LastSeq);
        Assert.Equal(5, stale!.LastSeq);
        Assert.Contains(Activated(accountId, 5, 3), killLog, StringComparison.Ordinal);
        Assert.Equal(beforeKill, afterKill);
        Assert.Equal(8, onSecondStop!.LastSeq);
        Assert.Contains(Activated(accountId, 0, 8), ledgerOnlyLog, StringComparison.Ordinal);
        Assert.Equal(beforeKill, fromLedgerOnly);
    }

    [Fact]
    public async Task An_account_whose_snapshot_was_written_elsewhere_reloads_and_stays_correct()
    {
        await using var topology = new PaymentsTopology(servers);
        var (silo, api, snapshots, accountId) = await OpenAccountAsync(topology, ShortSnapshots);
        using var reader = api.CreateClient(PaymentsTopology.AdminKey);
        await PayAsync(api, accountId, 2);
        await WaitForSnapshotAsync(snapshots, accountId, lastSeq: 3);

        await snapshots.BumpVersionAsync(accountId);
        await PayAsync(api, accountId, 2);
        await WaitForLogAsync(silo, $"Account {accountId}: snapshot written elsewhere, reloading");
        var (_, view) = await reader.GetUntilAnsweredAsync($"/v1/accounts/{accountId}");
        var rewritten = await WaitForSnapshotAsync(snapshots, accountId, lastSeq: 5);

        Assert.Equal(2, Activations(silo.ReadLog(), accountId));
        Assert.Contains(Activated(accountId, 3, 2), silo.ReadLog(), StringComparison.Ordinal);
        Assert.Equal((20_000 - 4 * 100, 5L), ((long)view!["balance"]!, (long)view["version"]!));
        Assert.Equal(20_000 - 4 * 100, rewritten.Balance);
    }

    /// <summary>One silo with <paramref name="settings"/>, an API, and a fresh account with 20,000 on it.</summary>
    private async Task<(AppProcess Silo, AppProcess Api, AccountSnapshots Snapshots, string AccountId)> OpenAccountAsync(
        PaymentsTopology topology, IReadOnlyDictionary<string, string> settings)
    {
        var silo = await topology.StartSiloAsync("region-a", settings);
        var api = await topology.StartApiAsync("region-a");
        var accountId = (await TestAccounts.OpenAsync(api, "snap", 1, 20_000, 5_000, Ceilings))[0];
        return (silo, api, new AccountSnapshots(servers, topology.ServiceId), accountId);
    }

    private static async Task WaitForLogAsync(AppProcess process, string line)
    {
        var waited = Stopwatch.StartNew();
        while (!process.ReadLog().Contains(line, StringComparison.Ordinal))
        {
            if (waited.Elapsed > TimeSpan.FromSeconds(60))
            {
                throw new TimeoutException($"{process.Name} did not log '{line}' in {waited.Elapsed}.");
            }

            await Task.Delay(250);
        }
    }

    private static int Activations(string log, string accountId) =>
        log.Split($"Account {accountId} activated from snapshot").Length - 1;

    private static string Activated(string accountId, long snapshotSeq, long replayed) =>
        $"Account {accountId} activated from snapshot seq {snapshotSeq} and {replayed} ledger rows after it";

    private static async Task PayAsync(AppProcess api, string accountId, int count)
    {
        using var terminal = api.CreateClient(PaymentsTopology.TerminalKey);
        for (var i = 0; i < count; i++)
        {
            using var paid = await terminal.PostAsJsonAsync($"/v1/accounts/{accountId}/payments",
                new { amount = 100, currency = "EUR", merchant = "Snapshot Cafe", mcc = "5812" });
            Assert.Equal(HttpStatusCode.Created, paid.StatusCode);
        }
    }

    private static async Task<AccountSnapshot> WaitForSnapshotAsync(AccountSnapshots snapshots, string accountId, long lastSeq)
    {
        var waited = Stopwatch.StartNew();
        while (true)
        {
            if (await snapshots.ReadAsync(accountId) is { } snapshot && snapshot.LastSeq >= lastSeq)
            {
                return snapshot;
            }

            if (waited.Elapsed > TimeSpan.FromSeconds(60))
            {
                throw new TimeoutException($"The snapshot of {accountId} did not reach seq {lastSeq} in {waited.Elapsed}.");
            }

            await Task.Delay(250);
        }
    }
}
