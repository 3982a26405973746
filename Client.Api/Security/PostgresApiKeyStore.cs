using Npgsql;
using Payments.Api.Auditing;
using Payments.Hosting.Security;

namespace Payments.Api.Security;

/// <summary>Issued keys in the <c>api_keys</c> table (migration 0006); each change commits with its audit row.</summary>
public sealed class PostgresApiKeyStore(NpgsqlDataSource database, PostgresAdminAudit audit) : IApiKeyStore
{
    private const string Columns = "id, name, role, merchant, key_hash, created_at, created_by, revoked_at, revoked_by";

    public Task<IReadOnlyList<StoredApiKey>> ActiveAsync(CancellationToken cancellationToken) =>
        QueryAsync($"SELECT {Columns} FROM api_keys WHERE revoked_at IS NULL", cancellationToken);

    public Task<IReadOnlyList<StoredApiKey>> ListAsync(CancellationToken cancellationToken) =>
        QueryAsync($"SELECT {Columns} FROM api_keys ORDER BY created_at DESC, id", cancellationToken);

    public async Task<bool> CreateAsync(StoredApiKey key, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using (var insert = new NpgsqlCommand(
            """
            INSERT INTO api_keys (id, name, role, merchant, key_hash, created_at, created_by)
            VALUES (@id, @name, @role, @merchant, @hash, @createdAt, @createdBy)
            ON CONFLICT (name) WHERE revoked_at IS NULL DO NOTHING
            """, connection, transaction))
        {
            insert.Parameters.AddWithValue("id", key.Id);
            insert.Parameters.AddWithValue("name", key.Name);
            insert.Parameters.AddWithValue("role", key.Role);
            insert.Parameters.AddWithValue("merchant", (object?)key.Merchant ?? DBNull.Value);
            insert.Parameters.AddWithValue("hash", key.Hash);
            insert.Parameters.AddWithValue("createdAt", key.CreatedAt);
            insert.Parameters.AddWithValue("createdBy", key.CreatedBy);
            if (await insert.ExecuteNonQueryAsync(cancellationToken) == 0)
            {
                return false;
            }
        }

        await audit.InsertAsync(connection, transaction,
            new(key.CreatedBy, AdminActions.ApiKeyCreated, AdminActions.ApiKey(key.Id), null, key.View()), cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return true;
    }

    public async Task<StoredApiKey?> RevokeAsync(string id, string actor, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        // FOR UPDATE: two admins revoking at once write one audit row, not two.
        var before = await FindAsync(connection, transaction, $"SELECT {Columns} FROM api_keys WHERE id = @id FOR UPDATE", id, cancellationToken);
        if (before is not { RevokedAt: null })
        {
            return before;
        }

        var after = await FindAsync(connection, transaction,
            $"UPDATE api_keys SET revoked_at = now(), revoked_by = @actor WHERE id = @id RETURNING {Columns}", id, cancellationToken, actor);
        await audit.InsertAsync(connection, transaction,
            new(actor, AdminActions.ApiKeyRevoked, AdminActions.ApiKey(id), before.View(), after!.View()), cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return after;
    }

    private static async Task<StoredApiKey?> FindAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, string sql, string id, CancellationToken cancellationToken, string? actor = null)
    {
        await using var command = new NpgsqlCommand(sql, connection, transaction);
        command.Parameters.AddWithValue("id", id);
        if (actor is not null)
        {
            command.Parameters.AddWithValue("actor", actor);
        }

        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? Read(reader) : null;
    }

    private async Task<IReadOnlyList<StoredApiKey>> QueryAsync(string sql, CancellationToken cancellationToken)
    {
        await using var command = database.CreateCommand(sql);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var keys = new List<StoredApiKey>();
        while (await reader.ReadAsync(cancellationToken))
        {
            keys.Add(Read(reader));
        }

        return keys;
    }

    private static StoredApiKey Read(NpgsqlDataReader reader) => new(
        reader.GetString(0),
        reader.GetString(1),
        reader.GetString(2),
        reader.IsDBNull(3) ? null : reader.GetString(3),
        reader.GetFieldValue<byte[]>(4),
        reader.GetFieldValue<DateTimeOffset>(5),
        reader.GetString(6),
        reader.IsDBNull(7) ? null : reader.GetFieldValue<DateTimeOffset>(7),
        reader.IsDBNull(8) ? null : reader.GetString(8));
}
