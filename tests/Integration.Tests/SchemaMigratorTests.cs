using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using Payments.Integration.Tests.Infrastructure;
using Payments.Silo.Hosting;

namespace Payments.Integration.Tests;

/// <summary>The migration runner against the real PostgreSQL.</summary>
[Collection(RealServersCollection.Name)]
public sealed class SchemaMigratorTests(RealServers servers)
{
    [Fact]
    public async Task Applying_the_migrations_again_changes_nothing()
    {
        var before = await AppliedAsync(servers.PostgresConnectionString);

        await SchemaMigrator.ApplyAsync(servers.PostgresConnectionString, NullLogger.Instance, CancellationToken.None);
        var after = await AppliedAsync(servers.PostgresConnectionString);

        Assert.Equal(before, after);
        Assert.Contains((1, "orleans_grain_storage"), after.Select(m => (m.Version, m.Name)));
    }

    [Fact]
    public async Task Silos_starting_together_on_an_empty_database_apply_each_migration_once()
    {
        var database = $"payments_migrations_{Guid.NewGuid():N}";
        await AdminAsync($"CREATE DATABASE {database}");
        try
        {
            var connectionString = new NpgsqlConnectionStringBuilder(servers.PostgresConnectionString) { Database = database }.ConnectionString;

            await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(() =>
                SchemaMigrator.ApplyAsync(connectionString, NullLogger.Instance, CancellationToken.None))));

            var applied = await AppliedAsync(connectionString);
            Assert.Equal(EmbeddedVersions(), applied.Select(m => m.Version));
        }
        finally
        {
            NpgsqlConnection.ClearAllPools();
            await AdminAsync($"DROP DATABASE IF EXISTS {database} WITH (FORCE)");
        }
    }

    [Fact]
    public void A_migration_without_a_transaction_is_split_after_each_semicolon_that_ends_a_line()
    {
        var statements = SchemaMigrator.Statements(
            "-- payments:no-transaction\n-- why\nDROP INDEX CONCURRENTLY IF EXISTS a;\r\nCREATE INDEX CONCURRENTLY a ON t (x)\n    WHERE x <> ';';  \n-- the end\n");

        Assert.Equal(
            ["-- payments:no-transaction\n-- why\nDROP INDEX CONCURRENTLY IF EXISTS a;", "CREATE INDEX CONCURRENTLY a ON t (x)\n    WHERE x <> ';';"],
            statements);
    }

    [Fact]
    public async Task The_expiry_sweeps_index_is_built_concurrently_valid_and_replaces_the_one_built_in_a_transaction()
    {
        var database = $"payments_migrations_{Guid.NewGuid():N}";
        await AdminAsync($"CREATE DATABASE {database}");
        try
        {
            var connectionString = new NpgsqlConnectionStringBuilder(servers.PostgresConnectionString) { Database = database }.ConnectionString;
            await SchemaMigrator.ApplyAsync(connectionString, NullLogger.Instance, CancellationToken.None);
            var fresh = await HoldExpiryIndexesAsync(connectionString);
            // A database migrated before 0014 existed: 0011 had built its index inside the transaction.
            await ExecuteAsync(connectionString, """
                CREATE INDEX ledger_hold_expiry_sweep ON ledger (expires_at, account_id COLLATE "C", seq) WHERE expires_at IS NOT NULL;
                DELETE FROM schema_migrations WHERE version = 14;
                """);
            await SchemaMigrator.ApplyAsync(connectionString, NullLogger.Instance, CancellationToken.None);
            var upgraded = await HoldExpiryIndexesAsync(connectionString);

            Assert.Equal([("ledger_hold_expiry_walk", true)], fresh);
            Assert.Equal(fresh, upgraded);
            Assert.Contains(14, (await AppliedAsync(connectionString)).Select(m => m.Version));
        }
        finally
        {
            NpgsqlConnection.ClearAllPools();
            await AdminAsync($"DROP DATABASE IF EXISTS {database} WITH (FORCE)");
        }
    }

    private static async Task<List<(string Name, bool Valid)>> HoldExpiryIndexesAsync(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            """
            SELECT c.relname, i.indisvalid FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
            WHERE i.indrelid = 'ledger'::regclass AND c.relname LIKE 'ledger_hold_expiry%' ORDER BY c.relname
            """, connection);
        await using var reader = await command.ExecuteReaderAsync();
        var indexes = new List<(string, bool)>();
        while (await reader.ReadAsync())
        {
            indexes.Add((reader.GetString(0), reader.GetBoolean(1)));
        }

        return indexes;
    }

    private static async Task ExecuteAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    private static List<int> EmbeddedVersions() => typeof(SchemaMigrator).Assembly.GetManifestResourceNames()
        .Where(name => name.Contains(".Migrations.", StringComparison.Ordinal) && name.EndsWith(".sql", StringComparison.Ordinal))
        .Select(name => name[(name.IndexOf(".Migrations.", StringComparison.Ordinal) + ".Migrations.".Length)..])
        .Select(file => int.Parse(file[..file.IndexOf('_', StringComparison.Ordinal)], System.Globalization.CultureInfo.InvariantCulture))
        .Order()
        .ToList();

    private static async Task<List<(int Version, string Name, DateTime AppliedAt)>> AppliedAsync(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT version, name, applied_at FROM schema_migrations ORDER BY version", connection);
        await using var reader = await command.ExecuteReaderAsync();
        var applied = new List<(int, string, DateTime)>();
        while (await reader.ReadAsync())
        {
            applied.Add((reader.GetInt32(0), reader.GetString(1), reader.GetDateTime(2)));
        }

        return applied;
    }

    private async Task AdminAsync(string sql)
    {
        await using var connection = await servers.OpenPostgresAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
