using Npgsql;
using NpgsqlTypes;
using Payments.Contracts;

namespace Payments.Regions;

/// <summary>
/// Region rules in the <c>region_rules</c> table. Each write is one statement whose data-modifying CTE feeds the
/// <c>admin_audit</c> insert, so the change and its audit row commit together or not at all.
/// </summary>
public sealed class PostgresRegionRulesStore(NpgsqlDataSource dataSource) : IRegionRulesStore
{
    public async Task<RegionRules?> FindAsync(string region, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("SELECT version, rules FROM region_rules WHERE region = @region");
        command.Parameters.AddWithValue("region", region);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? RegionRulesJson.Read(reader.GetString(1), reader.GetInt64(0)) : null;
    }

    public async Task<RegionRules> SeedAsync(string region, RegionRules seed, AuditStamp stamp, CancellationToken cancellationToken)
    {
        await using (var command = dataSource.CreateCommand(
            """
            WITH seeded AS (
                INSERT INTO region_rules (region, version, rules, updated_at, updated_by)
                VALUES (@region, 1, @after, @at, @actor)
                ON CONFLICT (region) DO NOTHING
                RETURNING region)
            INSERT INTO admin_audit (at, actor, action, target, before, after)
            SELECT @at, @actor, @action, @target, NULL, @after FROM seeded
            """))
        {
            Bind(command, region, RegionRulesJson.SeedAction, stamp, before: null, after: seed with { Version = 1 });
            await command.ExecuteNonQueryAsync(cancellationToken);
        }

        return await FindAsync(region, cancellationToken)
            ?? throw new InvalidOperationException($"The rules of {region} vanished right after seeding.");
    }

    public async Task<bool> ReplaceAsync(
        string region, RegionRules current, RegionRules next, AuditStamp stamp, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            """
            WITH changed AS (
                UPDATE region_rules
                SET version = @version, rules = @after, updated_at = @at, updated_by = @actor
                WHERE region = @region AND version = @expected
                RETURNING region)
            INSERT INTO admin_audit (at, actor, action, target, before, after)
            SELECT @at, @actor, @action, @target, @before, @after FROM changed
            """);
        Bind(command, region, RegionRulesJson.UpdateAction, stamp, current, next);
        command.Parameters.AddWithValue("version", next.Version);
        command.Parameters.AddWithValue("expected", current.Version);
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    private static void Bind(NpgsqlCommand command, string region, string action, AuditStamp stamp, RegionRules? before, RegionRules after)
    {
        command.Parameters.AddWithValue("region", region);
        command.Parameters.AddWithValue("action", action);
        command.Parameters.AddWithValue("target", RegionRulesJson.Target(region));
        command.Parameters.AddWithValue("actor", stamp.Actor);
        command.Parameters.AddWithValue("at", stamp.At);
        command.Parameters.Add(new NpgsqlParameter<string?>("before", NpgsqlDbType.Jsonb) { TypedValue = before is null ? null : RegionRulesJson.Write(before) });
        command.Parameters.Add(new NpgsqlParameter<string>("after", NpgsqlDbType.Jsonb) { TypedValue = RegionRulesJson.Write(after) });
    }
}
