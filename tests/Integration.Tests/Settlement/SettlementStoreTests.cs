using Microsoft.Extensions.Options;
using Npgsql;
using Payments.Integration.Tests.Infrastructure;
using Payments.Settlement;

namespace Payments.Integration.Tests.Settlement;

/// <summary>
/// The set-based settlement on the real PostgreSQL: totals against independent SQL over the ledger, idempotence,
/// resumption, runners that overlap. Chunks are tiny here so that every run takes several of them.
/// </summary>
[Collection(RealServersCollection.Name)]
public sealed class SettlementStoreTests(RealServers servers) : IAsyncDisposable
{
    private const int ChunkSize = 3;
    private readonly NpgsqlDataSource _db = NpgsqlDataSource.Create(servers.PostgresConnectionString);
    private readonly string _region = LedgerRows.NewRegion();
    private readonly DateOnly _day = LedgerRows.NewBusinessDate();

    private PostgresSettlementStore Store => new(_db, Options.Create(new SettlementOptions { ChunkSize = ChunkSize }));

    [Fact]
    public async Task Totals_per_account_match_the_ledger_and_leave_out_other_days_and_regions()
    {
        var rows = new LedgerRows(_db);
        var accounts = await SeedDayAsync(rows, accounts: 10);
        var elsewhere = await rows.OpenAsync(LedgerRows.NewRegion(), _day);
        await rows.AppendAsync(rows.Payment(elsewhere, _day, 500), rows.Payment(accounts[0], _day.AddDays(1), 700));
        var quiet = await rows.OpenAsync(_region, _day);

        var run = await Store.SettleAsync(_region, _day, again: false, CancellationToken.None);

        var expected = await SettlementSql.ExpectedFromLedgerAsync(_db, _region, _day);
        Assert.Equal(10, expected.Count);
        Assert.Equal(expected, await SettlementSql.SettledAsync(_db, _region, _day));
        Assert.Equal(10, run.Accounts);
        Assert.NotNull(run.FinishedAt);
        Assert.DoesNotContain(await SettlementSql.SettledAsync(_db, _region, _day), line => line.StartsWith(quiet, StringComparison.Ordinal));
        Assert.Contains($"{accounts[0]}|EUR|2|300|1|1|5000|0|0|0|0|0|0", expected);
    }

    [Fact]
    public async Task Running_it_again_writes_the_same_rows_and_rewrites_none()
    {
        await SeedDayAsync(new LedgerRows(_db), accounts: 7);
        await Store.SettleAsync(_region, _day, again: false, CancellationToken.None);
        var first = await SettlementSql.SettledAsync(_db, _region, _day, withTime: true);

        var resumed = await Store.SettleAsync(_region, _day, again: false, CancellationToken.None);
        var redone = await Store.SettleAsync(_region, _day, again: true, CancellationToken.None);

        Assert.Equal(first, await SettlementSql.SettledAsync(_db, _region, _day, withTime: true));
        Assert.Equal((7L, 7L), (resumed.Accounts, redone.Accounts));
        Assert.Equal([_day], await Store.SettledDaysAsync(_region, _day.AddDays(-1), _day.AddDays(1), CancellationToken.None));
    }

    [Fact]
    public async Task Settling_again_after_a_late_row_corrects_that_account_only()
    {
        var rows = new LedgerRows(_db);
        var accounts = await SeedDayAsync(rows, accounts: 5);
        await Store.SettleAsync(_region, _day, again: false, CancellationToken.None);
        var before = await SettlementSql.SettledAsync(_db, _region, _day, withTime: true);

        await rows.AppendAsync(rows.Payment(accounts[2], _day, 999));
        await Store.SettleAsync(_region, _day, again: true, CancellationToken.None);

        var after = await SettlementSql.SettledAsync(_db, _region, _day, withTime: true);
        var late = (await OrderAsync(accounts)).IndexOf(accounts[2]);
        Assert.Equal(await SettlementSql.ExpectedFromLedgerAsync(_db, _region, _day), await SettlementSql.SettledAsync(_db, _region, _day));
        Assert.Equal(before.Where((_, i) => i != late), after.Where((_, i) => i != late));
        Assert.NotEqual(before[late], after[late]);
    }

    [Fact]
    public async Task Run_that_stopped_midway_resumes_after_the_last_committed_chunk()
    {
        var accounts = await OrderAsync(await SeedDayAsync(new LedgerRows(_db), accounts: 8));
        // What a crash after the first chunk leaves: its rows and its progress, committed together. The marker
        // totals show that the resumed run does not read those accounts again.
        await ExecuteAsync(
            """
            INSERT INTO settlement_runs (region, business_date, after_account, accounts, chunks, started_at)
            VALUES (@region, @date, @after, 3, 1, now());
            INSERT INTO settlements (region, business_date, account_id, currency, approved_count, approved_amount,
                                     declined_count, deposit_count, deposit_amount, settled_at)
            SELECT @region, @date, id, 'EUR', 0, 0, 0, 0, 42, now() FROM unnest(@done) AS id;
            """,
            ("after", accounts[2]), ("done", accounts.Take(3).ToArray()));

        var run = await Store.SettleAsync(_region, _day, again: false, CancellationToken.None);

        var settled = await SettlementSql.SettledAsync(_db, _region, _day);
        var expected = await SettlementSql.ExpectedFromLedgerAsync(_db, _region, _day);
        Assert.Equal(8, run.Accounts);
        Assert.All(settled.Take(3), line => Assert.EndsWith("|42|0|0|0|0|0|0", line));
        Assert.Equal(expected.Skip(3), settled.Skip(3));
    }

    [Fact]
    public async Task Rows_already_there_ahead_of_the_progress_mark_are_corrected_not_duplicated()
    {
        await SeedDayAsync(new LedgerRows(_db), accounts: 7);
        await Store.SettleAsync(_region, _day, again: false, CancellationToken.None);
        // An operator dropped the run to have the day settled afresh, and one row was damaged meanwhile.
        await ExecuteAsync(
            """
            DELETE FROM settlement_runs WHERE region = @region AND business_date = @date;
            UPDATE settlements SET approved_amount = 1 WHERE region = @region AND business_date = @date
              AND account_id = (SELECT max(account_id) FROM settlements WHERE region = @region AND business_date = @date);
            """);

        var run = await Store.SettleAsync(_region, _day, again: false, CancellationToken.None);

        Assert.Equal(7, run.Accounts);
        Assert.Equal(await SettlementSql.ExpectedFromLedgerAsync(_db, _region, _day), await SettlementSql.SettledAsync(_db, _region, _day));
    }

    [Fact]
    public async Task Two_runners_of_the_same_day_take_turns_and_count_each_account_once()
    {
        await SeedDayAsync(new LedgerRows(_db), accounts: 30);

        var runs = await Task.WhenAll(
            Task.Run(() => Store.SettleAsync(_region, _day, again: false, CancellationToken.None)),
            Task.Run(() => Store.SettleAsync(_region, _day, again: false, CancellationToken.None)));

        Assert.All(runs, run => Assert.Equal(30, run.Accounts));
        Assert.Equal(await SettlementSql.ExpectedFromLedgerAsync(_db, _region, _day), await SettlementSql.SettledAsync(_db, _region, _day));
    }

    [Fact]
    public async Task Pages_go_by_account_id_descending_with_a_cursor()
    {
        var accounts = await OrderAsync(await SeedDayAsync(new LedgerRows(_db), accounts: 5));
        await Store.SettleAsync(_region, _day, again: false, CancellationToken.None);

        var first = await Store.PageAsync(_region, _day, null, 2, CancellationToken.None);
        var second = await Store.PageAsync(_region, _day, first[^1].AccountId, 2, CancellationToken.None);
        var third = await Store.PageAsync(_region, _day, second[^1].AccountId, 2, CancellationToken.None);

        Assert.Equal(Enumerable.Reverse(accounts), first.Concat(second).Concat(third).Select(s => s.AccountId));
        Assert.Single(third);
    }

    public async ValueTask DisposeAsync() => await _db.DisposeAsync();

    /// <summary>
    /// Opens <paramref name="accounts"/> accounts in the test's region; each pays 100 and 200 (approved), is declined
    /// once and receives a deposit of 5 000 on the test's day, and pays 50 the day before.
    /// </summary>
    private async Task<List<string>> SeedDayAsync(LedgerRows rows, int accounts)
    {
        var ids = new List<string>();
        for (var i = 0; i < accounts; i++)
        {
            var id = await rows.OpenAsync(_region, _day.AddDays(-1));
            await rows.AppendAsync(
                rows.Payment(id, _day.AddDays(-1), 50),
                rows.Payment(id, _day, 100),
                rows.Payment(id, _day, 200),
                rows.Payment(id, _day, 9_999_999, approved: false),
                rows.Deposit(id, _day, 5_000));
            ids.Add(id);
        }

        return ids;
    }

    // The database's order of account ids (its collation), which is the order the settlement works in.
    private async Task<List<string>> OrderAsync(List<string> accounts)
    {
        await using var command = _db.CreateCommand("SELECT id FROM unnest(@ids) AS id ORDER BY id");
        command.Parameters.AddWithValue("ids", accounts.ToArray());
        await using var reader = await command.ExecuteReaderAsync();
        var ordered = new List<string>();
        while (await reader.ReadAsync())
        {
            ordered.Add(reader.GetString(0));
        }

        return ordered;
    }

    private async Task ExecuteAsync(string sql, params (string Name, object Value)[] parameters)
    {
        await using var command = _db.CreateCommand(sql);
        command.Parameters.AddWithValue("region", _region);
        command.Parameters.AddWithValue("date", _day);
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        await command.ExecuteNonQueryAsync();
    }
}
