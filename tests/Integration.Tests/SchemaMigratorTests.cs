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
