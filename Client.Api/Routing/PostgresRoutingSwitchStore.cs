using Microsoft.Extensions.Options;
using Npgsql;
using Payments.Api.Auditing;
using Payments.Regions;

namespace Payments.Api.Routing;

/// <summary>The routing switches in the <c>region_routing</c> table (migration 0010), of this API's service.</summary>
public sealed class PostgresRoutingSwitchStore(NpgsqlDataSource database, PostgresAdminAudit audit, IOptions<ClusterIdentityOptions> identity)
    : IRoutingSwitchStore
{
    private string ServiceId => identity.Value.ServiceId;

    public async Task<IReadOnlyList<RoutingSwitch>> ReadAllAsync(CancellationToken cancellationToken)
    {
        await using var command = database.CreateCommand(
            "SELECT region, force_failover, set_by, set_at FROM region_routing WHERE service_id = @service");
        command.Parameters.AddWithValue("service", ServiceId);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var switches = new List<RoutingSwitch>();
        while (await reader.ReadAsync(cancellationToken))
        {
            switches.Add(Read(reader));
        }

        return switches;
    }

    public async Task<RoutingSwitch?> SetAsync(RoutingSwitch change, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        RoutingSwitch? before = null;
        // FOR UPDATE: two operators switching at once are audited one after the other, each with the right "before".
        await using (var select = new NpgsqlCommand(
            "SELECT region, force_failover, set_by, set_at FROM region_routing WHERE service_id = @service AND region = @region FOR UPDATE",
            connection, transaction))
        {
            select.Parameters.AddWithValue("service", ServiceId);
            select.Parameters.AddWithValue("region", change.Region);
            await using var reader = await select.ExecuteReaderAsync(cancellationToken);
            if (await reader.ReadAsync(cancellationToken))
            {
                before = Read(reader);
            }
        }

        await using (var upsert = new NpgsqlCommand(
            """
            INSERT INTO region_routing (service_id, region, force_failover, set_by, set_at)
            VALUES (@service, @region, @forced, @by, @at)
            ON CONFLICT (service_id, region) DO UPDATE
                SET force_failover = excluded.force_failover, set_by = excluded.set_by, set_at = excluded.set_at
            """, connection, transaction))
        {
            upsert.Parameters.AddWithValue("service", ServiceId);
            upsert.Parameters.AddWithValue("region", change.Region);
            upsert.Parameters.AddWithValue("forced", change.ForceFailover);
            upsert.Parameters.AddWithValue("by", change.SetBy);
            upsert.Parameters.AddWithValue("at", change.SetAt);
            await upsert.ExecuteNonQueryAsync(cancellationToken);
        }

        await audit.InsertAsync(connection, transaction, RoutingAudit.Entry(before, change), cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return before;
    }

    private static RoutingSwitch Read(NpgsqlDataReader reader) =>
        new(reader.GetString(0), reader.GetBoolean(1), reader.GetString(2), reader.GetFieldValue<DateTimeOffset>(3));
}
