using System.Diagnostics;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using Payments.Silo.Hosting;

namespace Payments.Integration.Tests.Infrastructure;

/// <summary>
/// The real PostgreSQL and the two regional Redis servers, started by <c>scripts/services.sh</c> once
/// per test run, with the schema migrations applied. Tests that use it join the "real-servers" collection
/// and therefore run one after another, so one of them may stop and restart a server.
/// </summary>
/// <remarks>
/// The servers are left running at the end: other test assemblies may share them, and a second run
/// starts faster. <c>scripts/services.sh stop</c> stops them.
/// </remarks>
public sealed class RealServers : IAsyncLifetime
{
    private static readonly TimeSpan ScriptTimeout = TimeSpan.FromMinutes(10);
    private string? _stoppedDataDirectory;

    /// <summary>The repository root: the folder holding Payments.sln or .git.</summary>
    public string RepositoryRoot { get; } = FindRepositoryRoot();

    /// <summary>Npgsql connection string of the shared payments database.</summary>
    public string PostgresConnectionString { get; private set; } = "";

    /// <summary>host:port of region A's Redis.</summary>
    public string RedisA { get; private set; } = "";

    /// <summary>host:port of region B's Redis.</summary>
    public string RedisB { get; private set; } = "";

    /// <inheritdoc />
    public async Task InitializeAsync()
    {
        var output = await RunScriptAsync("start");
        PostgresConnectionString = ValueAfter(output, "postgres connection string:");
        RedisA = ValueAfter(output, "redis region-a:");
        RedisB = ValueAfter(output, "redis region-b:");
        await SchemaMigrator.ApplyAsync(PostgresConnectionString, NullLogger.Instance, CancellationToken.None);
    }

    /// <inheritdoc />
    public Task DisposeAsync() => Task.CompletedTask;

    /// <summary>Stops PostgreSQL (fast shutdown: open sessions are cut off), whichever checkout started it.</summary>
    public async Task StopPostgresAsync()
    {
        _stoppedDataDirectory = await DataDirectoryAsync();
        await RunScriptAsync("stop-postgres");
    }

    /// <summary>
    /// Starts PostgreSQL again and drops this process's pooled connections to the old server. Fails when the port is
    /// now served by another server than the one stopped (another checkout's script started its own meanwhile): the
    /// tests would otherwise go on against an empty database.
    /// </summary>
    public async Task StartPostgresAsync()
    {
        await RunScriptAsync("start-postgres");
        NpgsqlConnection.ClearAllPools();
        if (_stoppedDataDirectory is { } stopped && await DataDirectoryAsync() is var serving && serving != stopped)
        {
            throw new InvalidOperationException(
                $"PostgreSQL on the port now serves {serving}, not {stopped}: another checkout started its own server " +
                "during the outage. Stop that one and start the stopped one again (scripts/services.sh).");
        }
    }

    /// <summary>Stops one region's Redis ("a" or "b").</summary>
    public Task StopRedisAsync(string region) => RunScriptAsync($"stop-redis {region}");

    /// <summary>Starts one region's Redis ("a" or "b").</summary>
    public Task StartRedisAsync(string region) => RunScriptAsync($"start-redis {region}");

    /// <summary>Opens a connection to the payments database.</summary>
    public async Task<NpgsqlConnection> OpenPostgresAsync()
    {
        var connection = new NpgsqlConnection(PostgresConnectionString);
        await connection.OpenAsync();
        return connection;
    }

    private async Task<string> DataDirectoryAsync()
    {
        await using var connection = await OpenPostgresAsync();
        await using var command = new NpgsqlCommand("SHOW data_directory", connection);
        return (string)(await command.ExecuteScalarAsync())!;
    }

    private async Task<string> RunScriptAsync(string arguments)
    {
        var script = Path.Combine(RepositoryRoot, "scripts", "services.sh");
        var startInfo = new ProcessStartInfo("bash", $"\"{script}\" {arguments}")
        {
            WorkingDirectory = RepositoryRoot,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };

        using var process = Process.Start(startInfo)
            ?? throw new InvalidOperationException($"Could not start bash for {script}.");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using (var timeout = new CancellationTokenSource(ScriptTimeout))
        {
            try
            {
                await process.WaitForExitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                throw new TimeoutException($"scripts/services.sh {arguments} did not finish within {ScriptTimeout}.");
            }
        }

        var output = await stdout;
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException(
                $"scripts/services.sh {arguments} exited with {process.ExitCode}:\n{output}\n{await stderr}");
        }

        return output;
    }

    // The script prints the connection details it started the servers with; they are read from there
    // so that the ports live in one place.
    private static string ValueAfter(string output, string label)
    {
        var line = output.Split('\n').FirstOrDefault(l => l.StartsWith(label, StringComparison.Ordinal))
            ?? throw new InvalidOperationException($"scripts/services.sh start printed no '{label}' line:\n{output}");
        return line[label.Length..].Trim();
    }

    private static string FindRepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Payments.sln"))
                || Directory.Exists(Path.Combine(directory.FullName, ".git"))
                || File.Exists(Path.Combine(directory.FullName, ".git")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException($"No folder above {AppContext.BaseDirectory} holds Payments.sln or .git.");
    }
}

/// <summary>Tests against the real servers: they share one <see cref="RealServers"/> and never run in parallel.</summary>
[CollectionDefinition(Name)]
public sealed class RealServersCollection : ICollectionFixture<RealServers>
{
    /// <summary>The collection name to put on test classes.</summary>
    public const string Name = "real-servers";
}
