using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;

namespace Payments.Integration.Tests.Infrastructure;

/// <summary>
/// The front door of a test topology: two HAProxy instances configured by <c>scripts/lib/front-door.sh</c>, bound to
/// the same loopback addresses (one per region; the kernel spreads connections over the live instances), each with its
/// own stats port. A plain client knows only <see cref="Address"/>; either instance may be killed.
/// </summary>
public sealed class FrontDoor : IAsyncDisposable
{
    private readonly Dictionary<string, Uri> _addresses;
    private readonly List<FrontDoorInstance> _instances;

    private FrontDoor(Dictionary<string, Uri> addresses, List<FrontDoorInstance> instances)
    {
        _addresses = addresses;
        _instances = instances;
    }

    public IReadOnlyList<FrontDoorInstance> Instances => _instances;

    /// <summary>The front door's address for <paramref name="region"/>'s clients.</summary>
    public Uri Address(string region) => _addresses[region];

    /// <summary>Each region's front door address, as the drill's plain terminals take them.</summary>
    public IReadOnlyDictionary<string, Uri> Addresses => _addresses;

    /// <summary>Starts both instances in front of <paramref name="apis"/> (one API per region) and waits until they serve.</summary>
    public static async Task<FrontDoor> StartAsync(RealServers servers, IReadOnlyList<AppProcess> apis, string logDirectory)
    {
        await RunScriptAsync(servers, "install");
        var addresses = apis.ToDictionary(api => api.Region, _ => new Uri($"http://127.0.0.1:{RunningRegion.FreePort()}"), StringComparer.Ordinal);
        var frontends = string.Join(' ', addresses.Select(a => $"{a.Key}=127.0.0.1:{a.Value.Port}"));
        var backends = string.Join(' ', apis.Select(api => $"{api.Region}=127.0.0.1:{api.HttpPort}"));
        var instances = new List<FrontDoorInstance>();
        Directory.CreateDirectory(logDirectory);
        for (var n = 1; n <= 2; n++)
        {
            var statsPort = RunningRegion.FreePort();
            var config = Path.Combine(logDirectory, $"front-door-{n}.cfg");
            await File.WriteAllTextAsync(config, await RunScriptAsync(servers, "haproxy-config", $"127.0.0.1:{statsPort}", frontends, backends));
            var startInfo = new ProcessStartInfo("haproxy")
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            // -db: in the foreground, logging to its output, so that the test owns the process and can kill it.
            startInfo.ArgumentList.Add("-db");
            startInfo.ArgumentList.Add("-f");
            startInfo.ArgumentList.Add(config);
            var process = new AppProcess($"front-door-{n}", "front-door", statsPort, startInfo, logDirectory);
            await process.StartAsync();
            instances.Add(new FrontDoorInstance(process));
        }

        return new FrontDoor(addresses, instances);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var instance in _instances)
        {
            await instance.Process.DisposeAsync();
        }
    }

    private static async Task<string> RunScriptAsync(RealServers servers, params string[] arguments)
    {
        var startInfo = new ProcessStartInfo("bash")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        startInfo.ArgumentList.Add(Path.Combine(servers.RepositoryRoot, "scripts", "lib", "front-door.sh"));
        foreach (var argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        using var process = Process.Start(startInfo) ?? throw new InvalidOperationException("Could not start bash.");
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return process.ExitCode == 0
            ? await output
            : throw new InvalidOperationException($"front-door.sh {arguments[0]} exited with {process.ExitCode}: {await errors}");
    }
}

/// <summary>One HAProxy instance of a <see cref="FrontDoor"/>, and what its stats page and its log say.</summary>
public sealed partial record FrontDoorInstance(AppProcess Process)
{
    /// <summary>
    /// "DOWN" and "UP", in order, each time this instance marked <paramref name="region"/>'s own API down or up again in
    /// <paramref name="region"/>'s frontend (it starts up). More than one of each after one failure is flapping.
    /// </summary>
    public IReadOnlyList<string> StateChanges(string region) =>
        [.. StateChange().Matches(Process.ReadLog())
            .Where(m => m.Groups["backend"].Value == region && m.Groups["server"].Value == region)
            .Select(m => m.Groups["state"].Value)];

    // HAProxy's warning on its standard error, e.g. "[WARNING]  (5580) : Server region-a/region-a is DOWN. …".
    [GeneratedRegex(@"^\[WARNING\]\s+\(\d+\) : Server (?<backend>[^/ ]+)/(?<server>\S+) is (?<state>UP|DOWN)", RegexOptions.Multiline)]
    private static partial Regex StateChange();

    /// <summary>Sessions this instance's frontend of <paramref name="region"/> has taken so far (HAProxy's <c>stot</c>).</summary>
    public async Task<long> SessionsAsync(string region)
    {
        using var stats = Process.CreateClient();
        var csv = (await stats.GetStringAsync("/;csv")).Split('\n');
        var header = csv[0].TrimStart('#', ' ').Split(',');
        var row = csv.Skip(1).Select(line => line.Split(','))
            .Single(fields => fields.Length == header.Length && fields[0] == region && fields[1] == "FRONTEND");
        return long.Parse(row[Array.IndexOf(header, "stot")], CultureInfo.InvariantCulture);
    }
}
