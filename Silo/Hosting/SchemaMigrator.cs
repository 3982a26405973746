using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Payments.Silo.Hosting;

/// <summary>
/// Applies the SQL migrations embedded from <c>Silo/Migrations/NNNN_name.sql</c> to PostgreSQL: in
/// ascending version order, each once, each in its own transaction, recorded in
/// <c>schema_migrations</c>. Silos that start together serialise on a PostgreSQL advisory lock.
/// </summary>
/// <remarks>
/// A migration runs inside a transaction, so it cannot use statements PostgreSQL forbids there
/// (<c>CREATE INDEX CONCURRENTLY</c>, <c>VACUUM</c>), unless its first line is <see cref="NoTransactionMarker"/>:
/// then each of its statements runs on its own, outside any transaction, in order (a statement ends with a
/// <c>;</c> at the end of a line, so such a file holds no function bodies), and its version is recorded once all of
/// them succeeded. That is how an index is built on a large live table without blocking its writes. Write each file
/// so that running it again is harmless (IF NOT EXISTS, CREATE OR REPLACE, and for a file without a transaction, which
/// a failure leaves half applied, each statement on its own): the version table prevents a second run, unless the
/// database was restored from an older backup, the script was also run by hand, or it failed half-way.
/// </remarks>
public static partial class SchemaMigrator
{
    // Any constant shared by every silo of every region will do; it only has to differ from the other
    // advisory locks taken in this database. The bytes spell "Payments".
    private const long MigrationLockKey = 0x5061_796D_656E_7473;

    /// <summary>The first line of a migration whose statements run one by one, outside a transaction.</summary>
    public const string NoTransactionMarker = "-- payments:no-transaction";

    private static readonly TimeSpan LockRetryDelay = TimeSpan.FromMilliseconds(250);
    private static readonly TimeSpan LockWaitReportInterval = TimeSpan.FromSeconds(10);

    /// <summary>Applies every embedded migration that the database has not recorded yet.</summary>
    /// <param name="connectionString">An Npgsql connection string to the payments database.</param>
    /// <param name="logger">Receives one line per applied migration.</param>
    /// <param name="cancellationToken">Stops waiting for the lock or for a running migration.</param>
    public static async Task ApplyAsync(string connectionString, ILogger logger, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        ArgumentNullException.ThrowIfNull(logger);

        var migrations = LoadEmbeddedMigrations(typeof(SchemaMigrator).Assembly);

        await using var dataSource = NpgsqlDataSource.Create(connectionString);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);

        await AcquireLockAsync(connection, logger, cancellationToken);
        try
        {
            await EnsureHistoryTableAsync(connection, cancellationToken);
            var applied = await ReadAppliedAsync(connection, cancellationToken);

            var pending = 0;
            foreach (var migration in migrations)
            {
                if (applied.TryGetValue(migration.Version, out var appliedName))
                {
                    if (!string.Equals(appliedName, migration.Name, StringComparison.Ordinal))
                    {
                        LogRenamed(logger, migration.Version, appliedName, migration.Name);
                    }

                    continue;
                }

                pending++;
                await ApplyOneAsync(connection, migration, logger, cancellationToken);
            }

            foreach (var unknown in applied.Keys.Where(version => migrations.All(m => m.Version != version)))
            {
                // A newer silo migrated the database during a rolling upgrade: expected, but worth a line.
                LogUnknownVersion(logger, unknown);
            }

            LogUpToDate(logger, migrations.Count, pending);
        }
        finally
        {
            await ReleaseLockAsync(connection, logger);
        }
    }

    /// <summary>Finds the migration resources of an assembly, ordered by version.</summary>
    internal static IReadOnlyList<EmbeddedMigration> LoadEmbeddedMigrations(Assembly assembly)
    {
        var migrations = new List<EmbeddedMigration>();
        foreach (var resourceName in assembly.GetManifestResourceNames())
        {
            var match = MigrationResourceName().Match(resourceName);
            if (!match.Success)
            {
                continue;
            }

            var version = int.Parse(match.Groups["version"].Value, CultureInfo.InvariantCulture);
            migrations.Add(new EmbeddedMigration(version, match.Groups["name"].Value, resourceName));
        }

        var duplicate = migrations.GroupBy(m => m.Version).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw new InvalidOperationException(
                $"Two migrations share version {duplicate.Key}: {string.Join(", ", duplicate.Select(m => m.ResourceName))}.");
        }

        return migrations.OrderBy(m => m.Version).ToList();
    }

    private static async Task AcquireLockAsync(NpgsqlConnection connection, ILogger logger, CancellationToken cancellationToken)
    {
        // Polling pg_try_advisory_lock rather than blocking in pg_advisory_lock: the wait stays
        // cancellable and visible in the log while another silo runs a long migration.
        var waited = Stopwatch.StartNew();
        var nextReport = LockWaitReportInterval;
        await using var command = new NpgsqlCommand("SELECT pg_try_advisory_lock(@key)", connection);
        command.Parameters.AddWithValue("key", MigrationLockKey);
        while (true)
        {
            if (await command.ExecuteScalarAsync(cancellationToken) is true)
            {
                return;
            }

            if (waited.Elapsed >= nextReport)
            {
                LogWaitingForLock(logger, (long)waited.Elapsed.TotalSeconds);
                nextReport += LockWaitReportInterval;
            }

            await Task.Delay(LockRetryDelay, cancellationToken);
        }
    }

    private static async Task ReleaseLockAsync(NpgsqlConnection connection, ILogger logger)
    {
        try
        {
            await using var command = new NpgsqlCommand("SELECT pg_advisory_unlock(@key)", connection);
            command.Parameters.AddWithValue("key", MigrationLockKey);
            await command.ExecuteScalarAsync(CancellationToken.None);
        }
        catch (Exception exception) when (exception is NpgsqlException or InvalidOperationException)
        {
            // The lock belongs to the session: a broken connection has released it already.
            LogUnlockFailed(logger, exception);
        }
    }

    private static async Task EnsureHistoryTableAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        const string Sql = """
            CREATE TABLE IF NOT EXISTS schema_migrations (
                version    integer     PRIMARY KEY,
                name       text        NOT NULL,
                applied_at timestamptz NOT NULL DEFAULT now()
            )
            """;
        await using var command = new NpgsqlCommand(Sql, connection);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static async Task<Dictionary<int, string>> ReadAppliedAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        var applied = new Dictionary<int, string>();
        await using var command = new NpgsqlCommand("SELECT version, name FROM schema_migrations", connection);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            applied.Add(reader.GetInt32(0), reader.GetString(1));
        }

        return applied;
    }

    private static async Task ApplyOneAsync(
        NpgsqlConnection connection, EmbeddedMigration migration, ILogger logger, CancellationToken cancellationToken)
    {
        var sql = await ReadResourceAsync(migration, cancellationToken);
        var elapsed = Stopwatch.StartNew();
        try
        {
            if (sql.StartsWith(NoTransactionMarker, StringComparison.Ordinal))
            {
                foreach (var statement in Statements(sql))
                {
                    await ExecuteAsync(connection, null, statement, cancellationToken);
                }

                await RecordAsync(connection, null, migration, cancellationToken);
            }
            else
            {
                await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
                await ExecuteAsync(connection, transaction, sql, cancellationToken);
                await RecordAsync(connection, transaction, migration, cancellationToken);
                await transaction.CommitAsync(cancellationToken);
            }
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            LogFailed(logger, exception, migration.Version, migration.Name);
            throw;
        }

        LogApplied(logger, migration.Version, migration.Name, elapsed.ElapsedMilliseconds);
    }

    /// <summary>
    /// The statements of a migration that runs without a transaction: the text split after each <c>;</c> that ends a
    /// line, without the parts that hold only comments and blank lines.
    /// </summary>
    public static IReadOnlyList<string> Statements(string sql) =>
        StatementEnd().Split(sql)
            .Where(part => part.Split('\n').Any(line => line.Trim() is { Length: > 0 } text && !text.StartsWith("--", StringComparison.Ordinal)))
            .Select(part => part.Trim())
            .ToList();

    private static async Task ExecuteAsync(
        NpgsqlConnection connection, NpgsqlTransaction? transaction, string sql, CancellationToken cancellationToken)
    {
        // No timeout of our own: an index build on a large table may take minutes, and the token still stops it when
        // the silo is asked to shut down.
        await using var script = new NpgsqlCommand(sql, connection, transaction) { CommandTimeout = 0 };
        await script.ExecuteNonQueryAsync(cancellationToken);
    }

    private static async Task RecordAsync(
        NpgsqlConnection connection, NpgsqlTransaction? transaction, EmbeddedMigration migration, CancellationToken cancellationToken)
    {
        await using var record = new NpgsqlCommand(
            "INSERT INTO schema_migrations (version, name, applied_at) VALUES (@version, @name, now())", connection, transaction);
        record.Parameters.AddWithValue("version", migration.Version);
        record.Parameters.AddWithValue("name", migration.Name);
        await record.ExecuteNonQueryAsync(cancellationToken);
    }

    private static async Task<string> ReadResourceAsync(EmbeddedMigration migration, CancellationToken cancellationToken)
    {
        await using var stream = typeof(SchemaMigrator).Assembly.GetManifestResourceStream(migration.ResourceName)
            ?? throw new InvalidOperationException($"Embedded migration {migration.ResourceName} cannot be opened.");
        using var reader = new StreamReader(stream);
        return await reader.ReadToEndAsync(cancellationToken);
    }

    // "<RootNamespace>.Migrations.0003_add_settlements.sql" -> version 3, name "add_settlements".
    [GeneratedRegex(@"\.Migrations\.(?<version>[0-9]+)_(?<name>[^\\/]+)\.sql$", RegexOptions.CultureInvariant)]
    private static partial Regex MigrationResourceName();

    // A ';' that ends a line (spaces after it allowed): the end of a statement of a migration without a transaction.
    [GeneratedRegex(@"(?<=;)[ \t]*\r?\n", RegexOptions.CultureInvariant)]
    private static partial Regex StatementEnd();

    [LoggerMessage(Level = LogLevel.Information, Message = "Applied schema migration {Version} ({Name}) in {ElapsedMs} ms")]
    private static partial void LogApplied(ILogger logger, int version, string name, long elapsedMs);

    [LoggerMessage(Level = LogLevel.Information, Message = "Database schema is up to date: {Known} migrations known, {Applied} applied now")]
    private static partial void LogUpToDate(ILogger logger, int known, int applied);

    [LoggerMessage(Level = LogLevel.Error, Message = "Schema migration {Version} ({Name}) failed: rolled back, or for one without a transaction, stopped at the failing statement")]
    private static partial void LogFailed(ILogger logger, Exception exception, int version, string name);

    [LoggerMessage(Level = LogLevel.Information, Message = "Waiting {Seconds} s for another instance to finish its schema migrations")]
    private static partial void LogWaitingForLock(ILogger logger, long seconds);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Schema migration {Version} was applied as {AppliedName} but is now named {Name}; it is not run again")]
    private static partial void LogRenamed(ILogger logger, int version, string appliedName, string name);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The database has schema migration {Version}, which this build does not know (a newer build migrated it)")]
    private static partial void LogUnknownVersion(ILogger logger, int version);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Releasing the schema migration lock failed; closing the connection releases it")]
    private static partial void LogUnlockFailed(ILogger logger, Exception exception);

    /// <summary>One embedded <c>NNNN_name.sql</c> file.</summary>
    internal sealed record EmbeddedMigration(int Version, string Name, string ResourceName);
}
