using Npgsql;
using NpgsqlTypes;

namespace Payments.Accounts.Holds.Expiry;

/// <summary>
/// The sweep on PostgreSQL: a keyset walk of the index on (expires_at, account_id, seq) of the rows that set an expiry
/// (migration 0011), from the region's saved position up to now, keeping the rows after which nothing released the hold
/// or moved its expiry. Each row is walked past once, so a pass costs what fell due since the last one.
/// </summary>
public sealed class PostgresHoldExpiryStore(NpgsqlDataSource dataSource) : IHoldExpiryStore
{
    // Account ids compare bytewise (COLLATE "C"), as the index orders them and as SweepPosition compares them.
    private const string DueSql = """
        SELECT l.account_id, l.authorization_id, l.expires_at, l.seq
        FROM ledger l
        JOIN accounts a ON a.account_id = l.account_id
        WHERE l.expires_at IS NOT NULL AND l.expires_at <= @now
          AND (l.expires_at, l.account_id COLLATE "C", l.seq) > (@after_expires_at, @after_account_id COLLATE "C", @after_seq)
          AND a.home_region = @region
          AND NOT EXISTS (
              SELECT 1 FROM ledger later
              WHERE later.account_id = l.account_id AND later.authorization_id = l.authorization_id AND later.seq > l.seq
                AND (later.hold_closed OR later.expires_at IS NOT NULL))
        ORDER BY l.expires_at, l.account_id COLLATE "C", l.seq
        LIMIT @limit
        """;

    public async Task<IReadOnlyList<DueHold>> DueAsync(
        string region, SweepPosition after, DateTimeOffset now, int limit, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(DueSql);
        command.Parameters.AddWithValue("now", now);
        command.Parameters.AddWithValue("after_expires_at", after.ExpiresAt);
        command.Parameters.AddWithValue("after_account_id", after.AccountId);
        command.Parameters.AddWithValue("after_seq", after.Seq);
        command.Parameters.AddWithValue("region", region);
        command.Parameters.AddWithValue("limit", limit);
        var due = new List<DueHold>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var accountId = reader.GetString(0);
            due.Add(new DueHold(accountId, reader.GetString(1),
                new SweepPosition(reader.GetFieldValue<DateTimeOffset>(2), accountId, reader.GetInt64(3))));
        }

        return due;
    }

    public async Task<SweepPosition> PositionAsync(string region, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            "SELECT expires_at, account_id, seq FROM hold_expiry_sweeps WHERE region = @region");
        command.Parameters.AddWithValue("region", region);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken)
            ? new SweepPosition(reader.GetFieldValue<DateTimeOffset>(0), reader.GetString(1), reader.GetInt64(2))
            : SweepPosition.Start;
    }

    public async Task SavePositionAsync(
        string region, SweepPosition position, DateTimeOffset? ownPassAt, CancellationToken cancellationToken)
    {
        // saved_at is when the region's own sweep last saved (the epoch until it does): a stand-in's save keeps it.
        await using var command = dataSource.CreateCommand(
            """
            INSERT INTO hold_expiry_sweeps (region, expires_at, account_id, seq, saved_at)
            VALUES (@region, @expires_at, @account_id, @seq, COALESCE(@own_pass_at, 'epoch'::timestamptz))
            ON CONFLICT (region) DO UPDATE
            SET expires_at = excluded.expires_at, account_id = excluded.account_id, seq = excluded.seq,
                saved_at = COALESCE(@own_pass_at, hold_expiry_sweeps.saved_at)
            """);
        command.Parameters.AddWithValue("region", region);
        command.Parameters.AddWithValue("expires_at", position.ExpiresAt);
        command.Parameters.AddWithValue("account_id", position.AccountId);
        command.Parameters.AddWithValue("seq", position.Seq);
        command.Parameters.Add(new NpgsqlParameter("own_pass_at", NpgsqlDbType.TimestampTz) { Value = (object?)ownPassAt ?? DBNull.Value });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<DateTimeOffset?> LastOwnPassAsync(string region, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            "SELECT saved_at FROM hold_expiry_sweeps WHERE region = @region AND saved_at > 'epoch'::timestamptz");
        command.Parameters.AddWithValue("region", region);
        return await command.ExecuteScalarAsync(cancellationToken) is DateTime savedAt
            ? new DateTimeOffset(DateTime.SpecifyKind(savedAt, DateTimeKind.Utc))
            : null;
    }
}
