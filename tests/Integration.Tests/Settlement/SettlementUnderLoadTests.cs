using Microsoft.Extensions.Options;
using Npgsql;
using Payments.Integration.Tests.Infrastructure;
using Payments.Settlement;
using Xunit.Abstractions;

namespace Payments.Integration.Tests.Settlement;

/// <summary>Payments go on while a day is settled: every ledger append made during the run succeeds.</summary>
[Collection(RealServersCollection.Name)]
public sealed class SettlementUnderLoadTests(RealServers servers, ITestOutputHelper output) : IAsyncDisposable
{
    private const int Accounts = 20_000;
    private const int Payers = 8;
    private readonly NpgsqlDataSource _db = NpgsqlDataSource.Create(servers.PostgresConnectionString);

    [Fact]
    public async Task Payments_appended_while_the_settlement_runs_all_succeed()
    {
        var region = LedgerRows.NewRegion();
        var day = LedgerRows.NewBusinessDate();
        await GenerateDayAsync(region, day);
        var rows = new LedgerRows(_db);
        var payers = new List<string>();
        for (var i = 0; i < Payers; i++)
        {
            payers.Add(await rows.OpenAsync(region, day));
        }

        var store = new PostgresSettlementStore(_db, Options.Create(new SettlementOptions { ChunkSize = 200 }));
        var settling = Task.Run(() => store.SettleAsync(region, day, again: false, CancellationToken.None));
        var appended = new List<bool>();
        while (!settling.IsCompleted)
        {
            // The next day's payments, as the group commit writes them: one multi-row insert per round trip.
            appended.AddRange(await rows.Store.AppendAsync(
                payers.ConvertAll(id => rows.Payment(id, day.AddDays(1), 1)), CancellationToken.None));
        }

        var run = await settling;
        output.WriteLine($"{appended.Count} payments appended while {run.Accounts} accounts were settled in {run.FinishedAt - run.StartedAt}");
        Assert.True(appended.Count >= Payers, "No payment was appended while the settlement ran.");
        Assert.All(appended, Assert.True);
        Assert.Equal(Accounts, run.Accounts);
        Assert.Equal(await SettlementSql.ExpectedFromLedgerAsync(_db, region, day), await SettlementSql.SettledAsync(_db, region, day));
    }

    public async ValueTask DisposeAsync() => await _db.DisposeAsync();

    /// <summary>A day of ledger rows for many accounts, in one statement each: a payment and a deposit per account.</summary>
    private async Task GenerateDayAsync(string region, DateOnly day)
    {
        await using var command = _db.CreateCommand(
            """
            INSERT INTO accounts (account_id, home_region, currency, created_at)
            SELECT @prefix || g, @region, 'EUR', now() FROM generate_series(1, @accounts) AS g;
            INSERT INTO ledger (account_id, seq, kind, entry_id, request_hash, amount, currency, merchant, mcc, reference,
                                status, balance_after, available_after, created_at, business_date, decided_by,
                                payload_version, payload)
            SELECT @prefix || g, s, CASE s WHEN 1 THEN 'payment' ELSE 'deposit' END, 'e' || s, 'h', g % 997 + 1, 'EUR',
                   CASE s WHEN 1 THEN 'Shop' END, CASE s WHEN 1 THEN '5411' END, CASE s WHEN 2 THEN 'salary' END,
                   'approved', 1000000, 1000000, now(), @day, 'region-a', 1,
                   CASE s WHEN 1
                       THEN jsonb_build_object('amount', g % 997 + 1, 'currency', 'EUR', 'merchant', 'Shop', 'mcc', '5411',
                                               'status', 'approved', 'declineReason', null)
                       ELSE jsonb_build_object('amount', g % 997 + 1, 'currency', 'EUR', 'reference', 'salary') END
            FROM generate_series(1, @accounts) AS g, generate_series(1, 2) AS s;
            """);
        command.Parameters.AddWithValue("prefix", $"{region}-");
        command.Parameters.AddWithValue("region", region);
        command.Parameters.AddWithValue("accounts", Accounts);
        command.Parameters.AddWithValue("day", day);
        await command.ExecuteNonQueryAsync();
    }
}
