using System.Globalization;
using Npgsql;
using Payments.Contracts;
using Payments.Ledger;
using Payments.Storage;

namespace Payments.Events;

/// <summary>
/// The feed on PostgreSQL, by transaction-id horizon (ADR 0016). Every ledger row carries the id of the transaction
/// that wrote it (<c>txid</c>, migration 0009). A row is read only when its transaction id is below the xmin of the
/// reading statement's snapshot: every transaction below it has ended, so no row with a smaller position can still
/// commit. Rows are read in (txid, account, seq) order, so "after the last position seen" never skips one.
/// </summary>
public sealed class PostgresEventFeedStore(NpgsqlDataSource dataSource) : IEventFeedStore
{
    private const string Horizon = "txid < pg_snapshot_xmin(pg_current_snapshot())";
    // The column, never the text of it in the select list (aliased apart): as text, "1000" sorts before "999".
    private const string Order = """txid, account_id COLLATE "C", seq""";

    private static readonly string ReadSql = $"""
        SELECT {PostgresLedgerStore.ReadColumns}, txid::text AS position_txid,
               (SELECT home_region FROM accounts WHERE accounts.account_id = ledger.account_id)
        FROM ledger
        """;

    private static readonly string HeadSql =
        $"SELECT txid::text AS head_txid, account_id, seq FROM ledger WHERE {Horizon} ORDER BY {Order.Replace(",", " DESC,")} DESC LIMIT 1";

    /// <summary>
    /// One statement, so one snapshot and one horizon for both parts: the matching rows after the cursor, and the head
    /// (the last row below the horizon), which is how far a page with fewer matches than asked for looked. Without a
    /// match, the one row has only the head; on an empty ledger there is no row at all.
    /// </summary>
    private static string PageSql(FeedFilter filter) => $"""
        SELECT matched.*, head.head_txid, head.account_id, head.seq
        FROM ({HeadSql}) head
        LEFT JOIN LATERAL (
            {ReadSql}
            WHERE ({Order}) > (@txid::xid8, @account_id COLLATE "C", @seq) AND {Horizon}
            {(filter.AccountId is null ? "" : "AND account_id = @only")}
            {(filter.Classes is null ? "" : "AND kind || '/' || status || '/' || (authorization_id IS NOT NULL)::text = ANY(@classes)")}
            ORDER BY {Order} LIMIT @limit
        ) matched ON true
        ORDER BY matched.position_txid::xid8, matched.account_id COLLATE "C", matched.seq
        """;

    public async Task<FeedPage> ReadAsync(FeedPosition after, FeedFilter filter, int limit, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(PageSql(filter));
        command.Parameters.AddWithValue("txid", after.Transaction.ToString(CultureInfo.InvariantCulture));
        command.Parameters.AddWithValue("account_id", after.AccountId);
        command.Parameters.AddWithValue("seq", after.Seq);
        command.Parameters.AddWithValue("limit", limit);
        if (filter.AccountId is not null)
        {
            command.Parameters.AddWithValue("only", filter.AccountId);
        }

        if (filter.Classes is not null)
        {
            command.Parameters.AddWithValue("classes",
                filter.Classes.Select(c => $"{EntryKinds.Name(c.Kind)}/{PostgresLedgerStore.StatusName(c.Status)}/{(c.OfAuthorization ? "true" : "false")}")
                    .ToArray());
        }

        var read = await command.ReadAllAsync(reader => (Head: Position(reader, 14), Row: reader.IsDBNull(0) ? null : Row(reader)), cancellationToken);
        var rows = read.Select(r => r.Row).OfType<FeedRow>().ToList();
        var head = read.Count > 0 ? read[0].Head : after;
        var scanned = rows.Count == limit ? rows[^1].Position : head.CompareTo(after) > 0 ? head : after;
        return new FeedPage(rows, scanned);
    }

    public async Task<FeedRow?> FindAsync(string accountId, long seq, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(ReadSql + " WHERE account_id = @only AND seq = @seq");
        command.Parameters.AddWithValue("only", accountId);
        command.Parameters.AddWithValue("seq", seq);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? Row(reader) : null;
    }

    /// <summary>A row of <see cref="ReadSql"/>'s columns.</summary>
    private static FeedRow Row(NpgsqlDataReader reader)
    {
        var entry = PostgresLedgerStore.Read(reader);
        return new FeedRow(new FeedPosition(ulong.Parse(reader.GetString(12), CultureInfo.InvariantCulture), entry.AccountId, entry.Seq),
            reader.GetString(13), entry);
    }

    /// <summary>A position from three columns (transaction id as text, account, seq) starting at <paramref name="first"/>.</summary>
    private static FeedPosition Position(NpgsqlDataReader reader, int first) =>
        new(ulong.Parse(reader.GetString(first), CultureInfo.InvariantCulture), reader.GetString(first + 1), reader.GetInt64(first + 2));

    public async Task<FeedPosition> HeadAsync(CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(HeadSql);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? Position(reader, 0) : FeedPosition.Start;
    }
}
