using System.Globalization;
using Npgsql;
using Payments.Contracts;
using Payments.Ledger;

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

    public async Task<IReadOnlyList<FeedRow>> ReadAsync(
        FeedPosition after, string? accountId, int limit, CancellationToken cancellationToken)
    {
        var sql = ReadSql + $""" WHERE ({Order}) > (@txid::xid8, @account_id COLLATE "C", @seq) AND {Horizon}"""
            + (accountId is null ? "" : " AND account_id = @only") + $" ORDER BY {Order} LIMIT @limit";
        await using var command = dataSource.CreateCommand(sql);
        command.Parameters.AddWithValue("txid", after.Transaction.ToString(CultureInfo.InvariantCulture));
        command.Parameters.AddWithValue("account_id", after.AccountId);
        command.Parameters.AddWithValue("seq", after.Seq);
        command.Parameters.AddWithValue("limit", limit);
        if (accountId is not null)
        {
            command.Parameters.AddWithValue("only", accountId);
        }

        return await ReadRowsAsync(command, cancellationToken);
    }

    public async Task<FeedRow?> FindAsync(string accountId, long seq, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(ReadSql + " WHERE account_id = @only AND seq = @seq");
        command.Parameters.AddWithValue("only", accountId);
        command.Parameters.AddWithValue("seq", seq);
        return (await ReadRowsAsync(command, cancellationToken)).SingleOrDefault();
    }

    private static async Task<List<FeedRow>> ReadRowsAsync(NpgsqlCommand command, CancellationToken cancellationToken)
    {
        var rows = new List<FeedRow>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var entry = PostgresLedgerStore.Read(reader);
            var transaction = ulong.Parse(reader.GetString(12), CultureInfo.InvariantCulture);
            rows.Add(new FeedRow(new FeedPosition(transaction, entry.AccountId, entry.Seq), reader.GetString(13), entry));
        }

        return rows;
    }

    public async Task<FeedPosition> HeadAsync(CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            $"SELECT txid::text AS position_txid, account_id, seq FROM ledger WHERE {Horizon} ORDER BY {Order.Replace(",", " DESC,")} DESC LIMIT 1");
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken)
            ? new FeedPosition(ulong.Parse(reader.GetString(0), CultureInfo.InvariantCulture), reader.GetString(1), reader.GetInt64(2))
            : FeedPosition.Start;
    }
}
