using System.Globalization;
using Npgsql;
using Payments.Contracts;
using Payments.Events;
using Payments.Integration.Tests.Infrastructure;
using Payments.Ledger;
using Payments.Ledger.Changes;

namespace Payments.Integration.Tests.Events;

/// <summary>
/// The feed on the real PostgreSQL never skips a row, whatever order concurrent transactions commit in (ADR 0016).
/// The first scenario is the one a "position &gt; cursor" reader gets wrong, and the test shows that it does.
/// </summary>
[Collection(RealServersCollection.Name)]
public sealed class FeedOrderTests(RealServers servers) : IAsyncDisposable
{
    private static readonly TimeSpan HorizonWait = TimeSpan.FromSeconds(30);
    private readonly NpgsqlDataSource _db = NpgsqlDataSource.Create(servers.PostgresConnectionString);
    private readonly DateOnly _day = LedgerRows.NewBusinessDate();

    [Fact]
    public async Task A_row_that_commits_behind_a_readers_cursor_is_still_read()
    {
        var seen = await CommitBehindTheCursorAsync(new PostgresEventFeedStore(_db), waitForHorizon: true);

        Assert.Contains(seen.Late, seen.Rows);
        Assert.Contains(seen.Early, seen.Rows);
    }

    [Fact]
    public async Task A_reader_of_transaction_ids_past_its_cursor_without_the_horizon_skips_that_row()
    {
        // The same scenario against the naive reader: proof that the scenario catches a skipped event.
        var seen = await CommitBehindTheCursorAsync(new NaiveFeed(_db), waitForHorizon: false);

        Assert.Contains(seen.Early, seen.Rows);
        Assert.DoesNotContain(seen.Late, seen.Rows);
    }

    [Fact]
    public async Task Rows_committed_by_many_concurrent_transactions_are_each_read_once_in_account_order()
    {
        var store = new PostgresEventFeedStore(_db);
        var start = await store.HeadAsync(CancellationToken.None);
        using var writing = new CancellationTokenSource();
        var written = new List<(string, long)>[8];
        var writers = Enumerable.Range(0, written.Length).Select(w => Task.Run(async () =>
        {
            written[w] = await WriteConcurrentlyAsync(rounds: 40);
        })).ToArray();
        var read = new List<(string Account, long Seq)>();
        var cursor = start;
        var allWritten = Task.WhenAll(writers);
        var deadline = DateTime.UtcNow + HorizonWait;
        while (DateTime.UtcNow < deadline)
        {
            var writersDone = allWritten.IsCompleted;
            var rows = (await store.ReadAsync(cursor, FeedFilter.All, 200, CancellationToken.None)).Rows;
            foreach (var row in rows)
            {
                Assert.True(row.Position.CompareTo(cursor) > 0, $"{row.Position} read after {cursor}; page of {rows.Count}: {rows[0].Position} .. {rows[^1].Position}");
                cursor = row.Position;
                read.Add((row.Entry.AccountId, row.Entry.Seq));
            }

            if (writersDone && rows.Count == 0)
            {
                if (written.SelectMany(w => w).ToHashSet().IsSubsetOf(read))
                {
                    break;
                }
            }

            await Task.Delay(rows.Count == 0 ? 20 : 0);
        }

        await allWritten;
        var ours = written.SelectMany(w => w).Select(r => r.Item1).ToHashSet(StringComparer.Ordinal);
        var mine = read.Where(r => ours.Contains(r.Account)).ToList();
        var all = written.SelectMany(w => w).ToList();
        var twice = mine.GroupBy(r => r).Where(g => g.Count() > 1).Select(g => $"{g.Key.Account}:{g.Key.Seq}").ToList();
        Assert.True(twice.Count == 0, $"Read more than once: {string.Join(", ", twice.Take(20))}");
        Assert.Equal(all.Count, mine.Count);
        Assert.Equal(all.ToHashSet(), mine.ToHashSet());
        Assert.All(mine.GroupBy(r => r.Account), account =>
            Assert.Equal(account.Select(r => r.Seq).Order(), account.Select(r => r.Seq)));
    }

    [Fact]
    public async Task A_type_filter_read_in_small_pages_returns_every_matching_row_once_and_only_those()
    {
        var store = new PostgresEventFeedStore(_db);
        var rows = new LedgerRows(_db);
        var start = await store.HeadAsync(CancellationToken.None);
        var account = await rows.OpenAsync(LedgerRows.NewRegion(), _day);
        var written = new List<LedgerEntry>();
        for (var i = 0; i < 12; i++)
        {
            var entry = (i % 3) switch
            {
                0 => rows.Payment(account, _day, 10, approved: false),
                1 => rows.Payment(account, _day, 10),
                _ => rows.Deposit(account, _day, 10),
            };
            await rows.AppendAsync(entry);
            written.Add(entry);
        }

        var declined = await ReadFilteredAsync(store, start, new EventTypeFilter(["payment.declined"]), account, expected: 4);
        var payments = await ReadFilteredAsync(store, start, new EventTypeFilter(["payment.*"]), account, expected: 8);
        var head = await store.HeadAsync(CancellationToken.None);
        var none = await store.ReadAsync(start, new FeedFilter(account, LedgerEventTypes.Matching(new EventTypeFilter(["refund.created"]))), 10, CancellationToken.None);

        Assert.Equal(written.Where((_, i) => i % 3 == 0).Select(e => e.Seq), declined);
        Assert.Equal(written.Where((_, i) => i % 3 != 2).Select(e => e.Seq), payments);
        Assert.Empty(none.Rows);
        // Nothing matched, yet the read looked up to the head: a reader without a cursor of its own goes on from there.
        Assert.True(none.Scanned.CompareTo(head) >= 0, $"{none.Scanned} before the head {head}");
    }

    /// <summary>
    /// Reads pages of two rows, each from the last page's scanned position, until <paramref name="expected"/> rows
    /// came (and one more page, which must bring none).
    /// </summary>
    private static async Task<List<long>> ReadFilteredAsync(
        PostgresEventFeedStore store, FeedPosition after, EventTypeFilter types, string account, int expected)
    {
        var filter = new FeedFilter(account, LedgerEventTypes.Matching(types));
        var seqs = new List<long>();
        var deadline = DateTime.UtcNow + HorizonWait;
        while (seqs.Count < expected && DateTime.UtcNow < deadline)
        {
            var page = await store.ReadAsync(after, filter, 2, CancellationToken.None);
            Assert.True(page.Scanned.CompareTo(after) >= 0, $"{page.Scanned} before {after}");
            Assert.All(page.Rows, row => Assert.True(types.Matches(LedgerEventTypes.Of(row.Entry))));
            seqs.AddRange(page.Rows.Select(row => row.Entry.Seq));
            after = page.Scanned;
        }

        seqs.AddRange((await store.ReadAsync(after, filter, 2, CancellationToken.None)).Rows.Select(row => row.Entry.Seq));
        return seqs;
    }

    /// <summary>Accounts of its own, rows appended one batch after the other: sometimes one row, sometimes several per account.</summary>
    private async Task<List<(string, long)>> WriteConcurrentlyAsync(int rounds)
    {
        var rows = new LedgerRows(_db);
        var region = LedgerRows.NewRegion();
        var accounts = new[] { await rows.OpenAsync(region, _day), await rows.OpenAsync(region, _day), await rows.OpenAsync(region, _day) };
        var written = accounts.Select(a => (a, 1L)).ToList();
        for (var round = 0; round < rounds; round++)
        {
            var batch = new List<LedgerEntry>();
            foreach (var account in accounts.Take(1 + (round % accounts.Length)))
            {
                for (var i = 0; i <= round % 2; i++)
                {
                    batch.Add(rows.Payment(account, _day, 1));
                }
            }

            await rows.AppendAsync([.. batch]);
            written.AddRange(batch.Select(e => (e.AccountId, e.Seq)));
        }

        return written;
    }

    /// <summary>
    /// A transaction takes its id and writes a row, but commits only after a later transaction has committed a row and a
    /// reader has read past it. Returns every row of the two accounts that the reader saw from before the scenario on.
    /// </summary>
    private async Task<(HashSet<(string, long)> Rows, (string, long) Late, (string, long) Early)> CommitBehindTheCursorAsync(
        IEventFeedStore reader, bool waitForHorizon)
    {
        var rows = new LedgerRows(_db);
        var region = LedgerRows.NewRegion();
        var (lateAccount, earlyAccount) = (await rows.OpenAsync(region, _day), await rows.OpenAsync(region, _day));
        var start = await new PostgresEventFeedStore(_db).HeadAsync(CancellationToken.None);
        var late = rows.Payment(lateAccount, _day, 10);
        var early = rows.Payment(earlyAccount, _day, 10);

        await using var held = await _db.OpenConnectionAsync();
        await using var transaction = await held.BeginTransactionAsync();
        await InsertAsync(held, transaction, late);
        await rows.AppendAsync(early);
        var (seen, cursor) = await ReadAllAsync(reader, start, [lateAccount, earlyAccount]);
        await transaction.CommitAsync();

        var deadline = DateTime.UtcNow + (waitForHorizon ? HorizonWait : TimeSpan.Zero);
        do
        {
            var (more, next) = await ReadAllAsync(reader, cursor, [lateAccount, earlyAccount]);
            seen.UnionWith(more);
            cursor = next;
        }
        while (!seen.Contains((late.AccountId, late.Seq)) && DateTime.UtcNow < deadline && await Pause());

        return (seen, (late.AccountId, late.Seq), (early.AccountId, early.Seq));
    }

    private static async Task<bool> Pause()
    {
        await Task.Delay(50);
        return true;
    }

    private static async Task<(HashSet<(string, long)> Rows, FeedPosition Next)> ReadAllAsync(
        IEventFeedStore reader, FeedPosition after, string[] accounts)
    {
        var seen = new HashSet<(string, long)>();
        while (true)
        {
            var rows = (await reader.ReadAsync(after, FeedFilter.All, 500, CancellationToken.None)).Rows;
            foreach (var row in rows)
            {
                after = row.Position;
                if (accounts.Contains(row.Entry.AccountId))
                {
                    seen.Add((row.Entry.AccountId, row.Entry.Seq));
                }
            }

            if (rows.Count < 500)
            {
                return (seen, after);
            }
        }
    }

    private static async Task InsertAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, LedgerEntry entry)
    {
        await using var insert = new NpgsqlCommand(
            """
            INSERT INTO ledger (account_id, seq, kind, entry_id, request_hash, amount, currency, merchant, mcc, status,
                                balance_after, available_after, created_at, business_date, decided_by, payload_version, payload)
            VALUES (@account_id, @seq, 'payment', @entry_id, 'hash', @amount, 'EUR', 'Shop', '5411', 'approved',
                    @balance_after, @balance_after, @created_at, @business_date, 'region-a', @payload_version, @payload::jsonb)
            """, connection, transaction);
        insert.Parameters.AddWithValue("account_id", entry.AccountId);
        insert.Parameters.AddWithValue("seq", entry.Seq);
        insert.Parameters.AddWithValue("entry_id", entry.EntryId);
        insert.Parameters.AddWithValue("amount", entry.ToPayment().Amount);
        insert.Parameters.AddWithValue("balance_after", entry.BalanceAfter);
        insert.Parameters.AddWithValue("created_at", entry.CreatedAt);
        insert.Parameters.AddWithValue("business_date", entry.BusinessDate);
        insert.Parameters.AddWithValue("payload_version", LedgerPayload.Version);
        insert.Parameters.AddWithValue("payload", LedgerPayload.Write(entry.Change));
        await insert.ExecuteNonQueryAsync();
    }

    public ValueTask DisposeAsync() => _db.DisposeAsync();

    /// <summary>The naive feed: rows whose transaction id is past the cursor's, with no horizon.</summary>
    private sealed class NaiveFeed(NpgsqlDataSource db) : IEventFeedStore
    {
        public async Task<FeedPage> ReadAsync(FeedPosition after, FeedFilter filter, int limit, CancellationToken cancellationToken)
        {
            await using var command = db.CreateCommand(
                """
                SELECT account_id, seq, txid::text FROM ledger WHERE txid > @txid::xid8
                ORDER BY txid, account_id COLLATE "C", seq LIMIT @limit
                """);
            command.Parameters.AddWithValue("txid", after.Transaction.ToString(CultureInfo.InvariantCulture));
            command.Parameters.AddWithValue("limit", limit);
            var rows = new List<FeedRow>();
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                var (account, seq) = (reader.GetString(0), reader.GetInt64(1));
                var entry = new LedgerEntry(account, seq, "", "", 0, 0, DateTimeOffset.UnixEpoch, default, "",
                    new PaymentDecided(0, "EUR", "", "", PaymentStatus.Approved, null));
                rows.Add(new FeedRow(new FeedPosition(ulong.Parse(reader.GetString(2), CultureInfo.InvariantCulture), account, seq), "", entry));
            }

            return new FeedPage(rows, rows.Count > 0 ? rows[^1].Position : after);
        }

        public Task<FeedRow?> FindAsync(string accountId, long seq, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task<FeedPosition> HeadAsync(CancellationToken cancellationToken) => throw new NotSupportedException();
    }
}
