using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using Payments.Silo.Hosting;

namespace Payments.Integration.Tests.Infrastructure;

/// <summary>
/// The real servers of topology/local.topology (etcd, PostgreSQL under Patroni, Redis with sentinels), started by
/// <c>scripts/services.sh</c> as an instance of this test process alone: its own ports (a free port offset) and data
/// folder, never the dev instance of scripts/up.sh. Started once per test process, with the schema migrations applied,
/// and destroyed when the process exits (scripts/test.sh destroys it too, should the process be killed). Tests that
/// use it join the "real-servers" collection and run one after another, so one of them may kill and restart a server;
/// each leaves the store replicated again.
/// </summary>
public sealed class RealServers : IAsyncLifetime
{
    private static readonly TimeSpan StoreOpenPatience = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan ScriptTimeout = TimeSpan.FromMinutes(10);
    private static readonly SemaphoreSlim Starting = new(1, 1);
    private static string? _started;

    /// <summary>The instance's name: scripts/test.sh chooses it, a bare <c>dotnet test</c> gets one per process.</summary>
    private static readonly string Instance =
        Environment.GetEnvironmentVariable("PAYMENTS_INSTANCE") is { Length: > 0 } instance ? instance : $"it-{Environment.ProcessId}";

    /// <summary>The repository root: the folder holding Payments.sln or .git.</summary>
    public string RepositoryRoot { get; } = FindRepositoryRoot();

    /// <summary>The multi-host Npgsql connection string of the payments database (whichever node is primary).</summary>
    public string PostgresConnectionString { get; private set; } = "";

    /// <summary>Region A's Redis through the sentinels (a StackExchange.Redis configuration string).</summary>
    public string RedisA { get; private set; } = "";

    /// <summary>Region B's Redis through the sentinels.</summary>
    public string RedisB { get; private set; } = "";

    /// <summary>The members and ports of this instance.</summary>
    public LocalTopology Topology { get; private set; } = null!;

    /// <inheritdoc />
    public async Task InitializeAsync()
    {
        var output = await StartOnceAsync();
        PostgresConnectionString = ValueAfter(output, "postgres connection string:");
        RedisA = ValueAfter(output, "redis region-a:");
        RedisB = ValueAfter(output, "redis region-b:");
        Topology = LocalTopology.Read(
            Path.Combine(RepositoryRoot, "topology", "local.topology"),
            int.Parse(ValueAfter(output, "port offset:"), CultureInfo.InvariantCulture));
    }

    /// <inheritdoc />
    public Task DisposeAsync() => Task.CompletedTask;

    /// <summary>Stops every PostgreSQL node (the whole store is down), the standbys first.</summary>
    public Task StopPostgresAsync() => RunScriptAsync("stop-postgres");

    /// <summary>Starts every PostgreSQL node again, waits until the store is replicated, drops the pooled connections.</summary>
    public async Task StartPostgresAsync()
    {
        await RunScriptAsync("start-postgres");
        NpgsqlConnection.ClearAllPools();
    }

    /// <summary>Stops one region's Redis nodes ("a" or "b").</summary>
    public Task StopRedisAsync(string region) => RunScriptAsync($"stop-redis {region}");

    /// <summary>Starts one region's Redis nodes ("a" or "b").</summary>
    public Task StartRedisAsync(string region) => RunScriptAsync($"start-redis {region}");

    /// <summary>SIGKILL of a PostgreSQL node's postmaster (its Patroni stays).</summary>
    public Task KillPostgresAsync(string node) => RunScriptAsync($"kill-postgres {node}");

    /// <summary>SIGKILL of a PostgreSQL node's Patroni (its PostgreSQL is fenced as a watchdog would).</summary>
    public Task KillPatroniAsync(string node) => RunScriptAsync($"kill-patroni {node}");

    /// <summary>SIGKILL of a Redis node.</summary>
    public Task KillRedisAsync(string node) => RunScriptAsync($"kill-redis {node}");

    /// <summary>SIGKILL of every server of a site at once: its PostgreSQL node and Patroni, etcd member, Redis, sentinel.</summary>
    public Task KillSiteAsync(string site) => RunScriptAsync($"kill-site {site}");

    /// <summary>Starts whatever is not running (killed nodes rejoin: PostgreSQL as a standby) and waits until replicated.</summary>
    public Task RestoreAsync() => RunScriptAsync("start");

    /// <summary>A planned switchover to <paramref name="node"/> (nothing when it is the primary already); waits until replicated.</summary>
    public Task SwitchoverAsync(string node) => RunScriptAsync($"switchover {node}");

    /// <summary>The PostgreSQL node that is primary now, by Patroni's REST API.</summary>
    public async Task<string> PrimaryAsync() => (await RunScriptAsync("primary")).Trim();

    /// <summary>The Redis node the sentinels name primary of <paramref name="region"/>.</summary>
    public async Task<string> RedisPrimaryAsync(string region) => (await RunScriptAsync($"redis-primary {region}")).Trim();

    /// <summary>
    /// Runs <c>scripts/services.sh <paramref name="arguments"/></c> on an instance of its own, not this fixture's
    /// (another name, so other ports and folders), with <paramref name="environment"/> added: a test of the script.
    /// </summary>
    public Task<string> RunScriptOnAsync(string instance, string arguments, IReadOnlyDictionary<string, string> environment) =>
        RunScriptAsync(arguments, instance, environment);

    /// <summary>Opens a connection to the payments database on the primary.</summary>
    /// <remarks>
    /// The store may be promoting a standby when a test reads it (right after a fault), so a failed open is tried again
    /// for up to <see cref="StoreOpenPatience"/> before it fails the test.
    /// </remarks>
    public async Task<NpgsqlConnection> OpenPostgresAsync()
    {
        var patience = Stopwatch.StartNew();
        while (true)
        {
            var connection = new NpgsqlConnection(PostgresConnectionString);
            try
            {
                await connection.OpenAsync();
                return connection;
            }
            catch (NpgsqlException) when (patience.Elapsed < StoreOpenPatience)
            {
                await connection.DisposeAsync();
                NpgsqlConnection.ClearAllPools();
                await Task.Delay(TimeSpan.FromMilliseconds(500));
            }
        }
    }

    private async Task<string> StartOnceAsync()
    {
        await Starting.WaitAsync();
        try
        {
            if (_started is null)
            {
                AppDomain.CurrentDomain.ProcessExit += (_, _) => Destroy();
                var output = await RunScriptAsync("start");
                var connection = ValueAfter(output, "postgres connection string:");
                await SchemaMigrator.ApplyAsync(connection, NullLogger.Instance, CancellationToken.None);
                _started = output;
            }

            return _started;
        }
        finally
        {
            Starting.Release();
        }
    }

    // The process is exiting: synchronous, bounded, and silent (nothing to report to at this point).
    private void Destroy()
    {
        using var process = Process.Start(ScriptStartInfo("destroy"));
        process?.WaitForExit(TimeSpan.FromMinutes(1));
    }

    private ProcessStartInfo ScriptStartInfo(string arguments, string? instance = null, IReadOnlyDictionary<string, string>? environment = null)
    {
        var script = Path.Combine(RepositoryRoot, "scripts", "services.sh");
        var startInfo = new ProcessStartInfo("bash", $"\"{script}\" {arguments}")
        {
            WorkingDirectory = RepositoryRoot,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        startInfo.Environment["PAYMENTS_INSTANCE"] = instance ?? Instance;
        startInfo.Environment["PAYMENTS_PORT_OFFSET"] = "auto";
        // Two nodes of one test instance on a shared machine: small buffers are plenty for the tests' data.
        startInfo.Environment["PAYMENTS_PG_SHARED_BUFFERS"] = "128MB";
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            startInfo.Environment[name] = value;
        }

        return startInfo;
    }

    private async Task<string> RunScriptAsync(string arguments, string? instance = null, IReadOnlyDictionary<string, string>? environment = null)
    {
        using var process = Process.Start(ScriptStartInfo(arguments, instance, environment))
            ?? throw new InvalidOperationException("Could not start bash for scripts/services.sh.");
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

    /// <summary>The folder above the test assembly that holds Payments.sln or .git.</summary>
    internal static string FindRepositoryRoot()
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
