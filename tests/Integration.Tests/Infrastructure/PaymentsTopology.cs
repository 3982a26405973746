using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Payments.Integration.Tests.Infrastructure;

/// <summary>
/// Silos and APIs of both regions as real processes against the real PostgreSQL and Redis. Each topology has its own
/// ServiceId (membership, reminders and grain storage are keyed by it) and free ports, so test runs never join each
/// other's clusters. Ledger rows are not keyed by ServiceId: tests use fresh account ids.
/// </summary>
public sealed class PaymentsTopology(RealServers servers) : IAsyncDisposable
{
    public const string AdminKey = "dev-admin-key";
    public const string TerminalKey = "dev-terminal-key";

    private readonly List<AppProcess> _processes = [];

    public string ServiceId { get; } = "payments-it-" + Guid.NewGuid().ToString("N")[..8];

    public IReadOnlyList<AppProcess> Processes => _processes;

    /// <summary>Where the topology's processes write their output (and a front door its configuration).</summary>
    public string LogDirectory => Path.Combine(servers.RepositoryRoot, ".artifacts", "it-logs", ServiceId);

    /// <summary>Starts a silo of <paramref name="region"/> ("region-a" or "region-b") and waits until it has joined.</summary>
    /// <param name="settings">Extra configuration as environment variables, e.g. <c>Payments__Snapshots__Period</c>.</param>
    public async Task<AppProcess> StartSiloAsync(string region, IReadOnlyDictionary<string, string>? settings = null)
    {
        var (siloPort, gatewayPort, httpPort) = (FreePort(), FreePort(), FreePort());
        var silo = Create($"silo-{Suffix(region)}{_processes.Count(p => p.Name.StartsWith("silo", StringComparison.Ordinal)) + 1}",
            region, httpPort, "Silo", "Payments.Silo.dll", new()
            {
                ["Payments__Region"] = region,
                ["Payments__ServiceId"] = ServiceId,
                ["ConnectionStrings__Postgres"] = servers.PostgresConnectionString,
                ["ConnectionStrings__Redis"] = Redis(region),
                ["Orleans__SiloPort"] = siloPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["Orleans__GatewayPort"] = gatewayPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
            }, settings);
        await silo.StartAsync();
        return silo;
    }

    /// <summary>Starts the API of <paramref name="region"/> with clients of both regions' clusters.</summary>
    /// <param name="settings">Extra configuration as environment variables.</param>
    public async Task<AppProcess> StartApiAsync(string region, IReadOnlyDictionary<string, string>? settings = null)
    {
        var api = Create($"api-{Suffix(region)}", region, FreePort(), "Client.Api", "Payments.Client.Api.dll", new()
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Development",
            ["Payments__Region"] = region,
            ["Payments__ServiceId"] = ServiceId,
            ["Payments__Clusters__region-a__Redis"] = servers.RedisA,
            ["Payments__Clusters__region-b__Redis"] = servers.RedisB,
            ["ConnectionStrings__Postgres"] = servers.PostgresConnectionString,
        }, settings);
        await api.StartAsync();
        return api;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var process in _processes)
        {
            await process.DisposeAsync();
        }
    }

    private AppProcess Create(
        string name, string region, int httpPort, string project, string dll, Dictionary<string, string> environment,
        IReadOnlyDictionary<string, string>? settings)
    {
        var output = OutputDirectory(project);
        var startInfo = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = output,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        startInfo.ArgumentList.Add(Path.Combine(output, dll));
        startInfo.ArgumentList.Add("--contentRoot");
        startInfo.ArgumentList.Add(output);
        startInfo.Environment["Urls"] = $"http://127.0.0.1:{httpPort}";
        startInfo.Environment["Logging__Console__FormatterName"] = "simple";
        foreach (var (key, value) in settings is null ? environment : environment.Concat(settings))
        {
            startInfo.Environment[key] = value;
        }

        var process = new AppProcess(name, region, httpPort, startInfo, LogDirectory);
        _processes.Add(process);
        return process;
    }

    private string Redis(string region) => region switch
    {
        "region-a" => servers.RedisA,
        "region-b" => servers.RedisB,
        _ => throw new ArgumentException($"No Redis for {region}.", nameof(region)),
    };

    private static string Suffix(string region) => region[^1..];

    // The app's own build output, in the configuration this test assembly was built in (Debug or Release).
    private string OutputDirectory(string project)
    {
        var configuration = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar)).Parent!.Name;
        var directory = Path.Combine(servers.RepositoryRoot, project, "bin", configuration, "net10.0");
        return Directory.Exists(directory)
            ? directory
            : throw new DirectoryNotFoundException($"{directory} is missing: build {project} in {configuration} first.");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
