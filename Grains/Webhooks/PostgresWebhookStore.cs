using Npgsql;
using NpgsqlTypes;
using Payments.Contracts;
using Payments.Storage;

namespace Payments.Webhooks;

/// <summary>
/// The webhook tables of migration 0009, for the endpoints of one deployment (ServiceId). Lease times are the
/// database's clock, the same for every silo.
/// </summary>
public sealed class PostgresWebhookStore(NpgsqlDataSource dataSource, string serviceId) : IWebhookStore
{
    private const string EndpointColumns = "endpoint_id, url, types, description, secret, status, created_at, updated_at, cursor";
    private const string AttemptColumns =
        "endpoint_id, attempt_id, event_id, account_id, seq, attempted_at, status_code, error, duration_ms, next_attempt_at";

    /// <summary>The lease still belongs to this owner: the condition of every fenced write.</summary>
    private const string Fenced = "endpoint_id = @id AND lease_token = @token AND lease_owner = @owner";

    public async Task CreateAsync(StoredEndpoint endpoint, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            $"""
            INSERT INTO webhook_endpoints (service_id, {EndpointColumns})
            VALUES (@service_id, @id, @url, @types, @description, @secret, @status, @created_at, @updated_at, @cursor)
            """);
        command.Parameters.AddWithValue("service_id", serviceId);
        command.Parameters.AddWithValue("id", endpoint.Id);
        command.Parameters.AddWithValue("url", endpoint.Url);
        command.Parameters.AddWithValue("types", endpoint.Types.ToArray());
        command.Parameters.AddWithValue("description", endpoint.Description);
        command.Parameters.AddWithValue("secret", endpoint.SealedSecret);
        command.Parameters.AddWithValue("status", StatusName(endpoint.Status));
        command.Parameters.AddWithValue("created_at", endpoint.CreatedAt);
        command.Parameters.AddWithValue("updated_at", endpoint.UpdatedAt);
        command.Parameters.AddWithValue("cursor", endpoint.Cursor.ToString());
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public Task<IReadOnlyList<StoredEndpoint>> ListAsync(CancellationToken cancellationToken) =>
        QueryAsync($"SELECT {EndpointColumns} FROM webhook_endpoints WHERE service_id = @service_id ORDER BY created_at DESC, endpoint_id",
            Scope, ReadEndpoint, cancellationToken);

    public async Task<StoredEndpoint?> GetAsync(string endpointId, CancellationToken cancellationToken) =>
        (await QueryAsync($"SELECT {EndpointColumns} FROM webhook_endpoints WHERE endpoint_id = @id AND service_id = @service_id",
            c =>
            {
                Scope(c);
                c.Parameters.AddWithValue("id", endpointId);
            },
            ReadEndpoint, cancellationToken)).SingleOrDefault();

    public async Task<StoredEndpoint?> UpdateAsync(
        string endpointId, WebhookEndpointChange change, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using var update = new NpgsqlCommand(
            $"""
            UPDATE webhook_endpoints SET
                url = coalesce(@url, url), types = coalesce(@types, types), description = coalesce(@description, description),
                status = coalesce(@status, status), updated_at = @now
            WHERE endpoint_id = @id AND service_id = @service_id
            RETURNING {EndpointColumns}, (SELECT status FROM webhook_endpoints WHERE endpoint_id = @id)
            """, connection, transaction);
        Scope(update);
        update.Parameters.AddWithValue("id", endpointId);
        update.Parameters.Add(new NpgsqlParameter<string?>("url", NpgsqlDbType.Text) { TypedValue = change.Url });
        update.Parameters.Add(new NpgsqlParameter<string[]?>("types", NpgsqlDbType.Array | NpgsqlDbType.Text) { TypedValue = change.Types?.ToArray() });
        update.Parameters.Add(new NpgsqlParameter<string?>("description", NpgsqlDbType.Text) { TypedValue = change.Description });
        update.Parameters.Add(new NpgsqlParameter<string?>("status", NpgsqlDbType.Text)
        {
            TypedValue = change.Status is { } status ? StatusName(status) : null,
        });
        update.Parameters.AddWithValue("now", now);
        StoredEndpoint? updated = null;
        var wasDisabled = false;
        await using (var reader = await update.ExecuteReaderAsync(cancellationToken))
        {
            if (await reader.ReadAsync(cancellationToken))
            {
                updated = ReadEndpoint(reader);
                wasDisabled = reader.GetString(9) == StatusName(WebhookEndpointStatus.Disabled);
            }
        }

        if (updated is { Status: WebhookEndpointStatus.Enabled } && wasDisabled)
        {
            // Enabled again by hand: the events it gave up on get 3 days from now.
            await using var restart = new NpgsqlCommand(
                "UPDATE webhook_parked SET first_failed_at = @now WHERE endpoint_id = @id", connection, transaction);
            restart.Parameters.AddWithValue("id", endpointId);
            restart.Parameters.AddWithValue("now", now);
            await restart.ExecuteNonQueryAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        return updated;
    }

    public async Task<bool> DeleteAsync(string endpointId, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("DELETE FROM webhook_endpoints WHERE endpoint_id = @id AND service_id = @service_id");
        Scope(command);
        command.Parameters.AddWithValue("id", endpointId);
        return await command.ExecuteNonQueryAsync(cancellationToken) > 0;
    }

    public Task<IReadOnlyList<StoredAttempt>> ListAttemptsAsync(
        string endpointId, int limit, long? beforeAttemptId, CancellationToken cancellationToken) =>
        QueryAsync(
            $"""
            SELECT {AttemptColumns} FROM webhook_attempts
            WHERE endpoint_id = @id AND attempt_id < @before ORDER BY attempt_id DESC LIMIT @limit
            """,
            c =>
            {
                c.Parameters.AddWithValue("id", endpointId);
                c.Parameters.AddWithValue("before", beforeAttemptId ?? long.MaxValue);
                c.Parameters.AddWithValue("limit", limit);
            },
            ReadAttempt, cancellationToken);

    public async Task<StoredAttempt?> GetAttemptAsync(string endpointId, long attemptId, CancellationToken cancellationToken) =>
        (await QueryAsync($"SELECT {AttemptColumns} FROM webhook_attempts WHERE endpoint_id = @id AND attempt_id = @attempt",
            c =>
            {
                c.Parameters.AddWithValue("id", endpointId);
                c.Parameters.AddWithValue("attempt", attemptId);
            },
            ReadAttempt, cancellationToken)).SingleOrDefault();

    public Task<IReadOnlyList<long>> RecordAttemptsAsync(IReadOnlyList<StoredAttempt> attempts, CancellationToken cancellationToken) =>
        QueryAsync(
            """
            INSERT INTO webhook_attempts (endpoint_id, event_id, account_id, seq, attempted_at, status_code, error, duration_ms, next_attempt_at)
            SELECT a.* FROM unnest(@endpoint_id, @event_id, @account_id, @seq, @attempted_at, @status_code, @error, @duration_ms, @next_attempt_at)
                AS a(endpoint_id, event_id, account_id, seq, attempted_at, status_code, error, duration_ms, next_attempt_at)
            WHERE EXISTS (SELECT 1 FROM webhook_endpoints e WHERE e.endpoint_id = a.endpoint_id)
            RETURNING attempt_id
            """,
            c =>
            {
                Add(c, "endpoint_id", NpgsqlDbType.Text, attempts, a => a.EndpointId);
                Add(c, "event_id", NpgsqlDbType.Text, attempts, a => a.EventId);
                Add(c, "account_id", NpgsqlDbType.Text, attempts, a => a.AccountId);
                Add(c, "seq", NpgsqlDbType.Bigint, attempts, a => a.Seq);
                Add(c, "attempted_at", NpgsqlDbType.TimestampTz, attempts, a => a.AttemptedAt.UtcDateTime);
                Add(c, "status_code", NpgsqlDbType.Integer, attempts, a => a.HttpStatus);
                Add(c, "error", NpgsqlDbType.Text, attempts, a => a.Error);
                Add(c, "duration_ms", NpgsqlDbType.Integer, attempts, a => (int)Math.Min(a.DurationMs, int.MaxValue));
                Add(c, "next_attempt_at", NpgsqlDbType.TimestampTz, attempts, a => a.NextAttemptAt?.UtcDateTime);
            },
            r => r.GetInt64(0), cancellationToken);

    public Task<IReadOnlyList<string>> ListUnownedAsync(CancellationToken cancellationToken) =>
        QueryAsync(
            """
            SELECT endpoint_id FROM webhook_endpoints
            WHERE service_id = @service_id AND status = 'enabled' AND (lease_expires_at IS NULL OR lease_expires_at < now())
            """,
            Scope, r => r.GetString(0), cancellationToken);

    public async Task<EndpointLease?> TryAcquireAsync(string endpointId, string owner, TimeSpan duration, CancellationToken cancellationToken) =>
        (await QueryAsync(
            $"""
            UPDATE webhook_endpoints
            SET lease_owner = @owner, lease_token = lease_token + 1, lease_expires_at = now() + @duration
            WHERE endpoint_id = @id AND service_id = @service_id AND status = 'enabled'
              AND (lease_expires_at IS NULL OR lease_expires_at < now())
            RETURNING {EndpointColumns}, lease_token
            """,
            c =>
            {
                Scope(c);
                c.Parameters.AddWithValue("id", endpointId);
                c.Parameters.AddWithValue("owner", owner);
                c.Parameters.AddWithValue("duration", duration);
            },
            r => new EndpointLease(owner, r.GetInt64(9), ReadEndpoint(r)), cancellationToken)).SingleOrDefault();

    public async Task<StoredEndpoint?> RenewAsync(EndpointLease lease, TimeSpan duration, CancellationToken cancellationToken) =>
        (await QueryAsync(
            $"UPDATE webhook_endpoints SET lease_expires_at = now() + @duration WHERE {Fenced} RETURNING {EndpointColumns}",
            c =>
            {
                Fence(c, lease);
                c.Parameters.AddWithValue("duration", duration);
            },
            ReadEndpoint, cancellationToken)).SingleOrDefault();

    public async Task ReleaseAsync(EndpointLease lease, CancellationToken cancellationToken) =>
        await ExecuteFencedAsync($"UPDATE webhook_endpoints SET lease_expires_at = NULL WHERE {Fenced}", lease, _ => { }, cancellationToken);

    public Task<bool> SaveCursorAsync(EndpointLease lease, FeedPosition cursor, CancellationToken cancellationToken) =>
        ExecuteFencedAsync($"UPDATE webhook_endpoints SET cursor = @cursor WHERE {Fenced}", lease,
            c => c.Parameters.AddWithValue("cursor", cursor.ToString()), cancellationToken);

    public Task<bool> ParkAsync(EndpointLease lease, ParkedEvent parked, CancellationToken cancellationToken) =>
        ExecuteFencedAsync(
            $"""
            INSERT INTO webhook_parked (endpoint_id, account_id, seq, first_failed_at)
            SELECT @id, @account_id, @seq, @first_failed_at WHERE EXISTS (SELECT 1 FROM webhook_endpoints WHERE {Fenced})
            ON CONFLICT DO NOTHING
            """,
            lease,
            c =>
            {
                c.Parameters.AddWithValue("account_id", parked.AccountId);
                c.Parameters.AddWithValue("seq", parked.Seq);
                c.Parameters.AddWithValue("first_failed_at", parked.FirstFailedAt);
            },
            cancellationToken);

    public async Task UnparkAsync(string endpointId, string accountId, long seq, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            "DELETE FROM webhook_parked WHERE endpoint_id = @id AND account_id = @account_id AND seq = @seq");
        command.Parameters.AddWithValue("id", endpointId);
        command.Parameters.AddWithValue("account_id", accountId);
        command.Parameters.AddWithValue("seq", seq);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public Task<IReadOnlyList<ParkedEvent>> ListParkedAsync(string endpointId, CancellationToken cancellationToken) =>
        QueryAsync("SELECT account_id, seq, first_failed_at FROM webhook_parked WHERE endpoint_id = @id ORDER BY first_failed_at",
            c => c.Parameters.AddWithValue("id", endpointId),
            r => new ParkedEvent(r.GetString(0), r.GetInt64(1), new DateTimeOffset(r.GetDateTime(2), TimeSpan.Zero)), cancellationToken);

    public Task<bool> DisableAsync(EndpointLease lease, DateTimeOffset now, CancellationToken cancellationToken) =>
        ExecuteFencedAsync(
            $"UPDATE webhook_endpoints SET status = 'disabled', updated_at = @now, lease_expires_at = NULL WHERE {Fenced}",
            lease, c => c.Parameters.AddWithValue("now", now), cancellationToken);

    private async Task<bool> ExecuteFencedAsync(string sql, EndpointLease lease, Action<NpgsqlCommand> bind, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(sql);
        Fence(command, lease);
        bind(command);
        return await command.ExecuteNonQueryAsync(cancellationToken) > 0;
    }

    private void Scope(NpgsqlCommand command) => command.Parameters.AddWithValue("service_id", serviceId);

    private static void Fence(NpgsqlCommand command, EndpointLease lease)
    {
        command.Parameters.AddWithValue("id", lease.EndpointId);
        command.Parameters.AddWithValue("token", lease.Token);
        command.Parameters.AddWithValue("owner", lease.Owner);
    }

    private async Task<IReadOnlyList<T>> QueryAsync<T>(
        string sql, Action<NpgsqlCommand> bind, Func<NpgsqlDataReader, T> read, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(sql);
        bind(command);
        return await command.ReadAllAsync(read, cancellationToken);
    }

    private static void Add<T>(NpgsqlCommand command, string name, NpgsqlDbType type, IReadOnlyList<StoredAttempt> rows, Func<StoredAttempt, T> value) =>
        command.Parameters.Add(new NpgsqlParameter<T[]>(name, NpgsqlDbType.Array | type) { TypedValue = rows.Select(value).ToArray() });

    private static StoredEndpoint ReadEndpoint(NpgsqlDataReader r) => new(
        r.GetString(0), r.GetString(1), r.GetFieldValue<string[]>(2), r.GetString(3), r.GetFieldValue<byte[]>(4),
        ParseStatus(r.GetString(5)), new DateTimeOffset(r.GetDateTime(6), TimeSpan.Zero), new DateTimeOffset(r.GetDateTime(7), TimeSpan.Zero),
        FeedPosition.TryParse(r.GetString(8), out var cursor) ? cursor : throw new InvalidDataException($"Endpoint {r.GetString(0)}: bad cursor."));

    private static StoredAttempt ReadAttempt(NpgsqlDataReader r) => new(
        r.GetString(0), r.GetInt64(1), r.GetString(2), r.GetString(3), r.GetInt64(4), new DateTimeOffset(r.GetDateTime(5), TimeSpan.Zero),
        r.IsDBNull(6) ? null : r.GetInt32(6), r.IsDBNull(7) ? null : r.GetString(7), r.GetInt32(8),
        r.IsDBNull(9) ? null : new DateTimeOffset(r.GetDateTime(9), TimeSpan.Zero));

    private static string StatusName(WebhookEndpointStatus status) => status switch
    {
        WebhookEndpointStatus.Enabled => "enabled",
        WebhookEndpointStatus.Disabled => "disabled",
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, "No stored name."),
    };

    private static WebhookEndpointStatus ParseStatus(string status) => status switch
    {
        "enabled" => WebhookEndpointStatus.Enabled,
        "disabled" => WebhookEndpointStatus.Disabled,
        _ => throw new InvalidDataException($"Unknown webhook endpoint status '{status}'."),
    };
}
