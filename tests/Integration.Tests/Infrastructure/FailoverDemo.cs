using System.Diagnostics;
using System.Globalization;
using Xunit.Abstractions;

namespace Payments.Integration.Tests.Infrastructure;

/// <summary>
/// One run of <c>scripts/failover-demo.sh</c> on the Release builds already made (<c>DEMO_PREBUILT=1</c>), as an
/// instance of its own: as root its sites are network namespaces under a prefix of this test process alone, otherwise
/// its processes run on loopback at a free port offset; never the integration tests' servers. Its output goes to the
/// test output and to <c>.artifacts/demo-logs/{name}.out</c>, beside the folder of the demo's own logs. On a timeout the script
/// gets SIGTERM, which runs its cleanup (every process it started, its servers, its namespaces), and only then SIGKILL.
/// </summary>
public sealed class FailoverDemo
{
    private static readonly TimeSpan Limit = TimeSpan.FromMinutes(15);
    private static readonly TimeSpan CleanupPatience = TimeSpan.FromSeconds(90);

    private FailoverDemo(int exitCode, IReadOnlyList<string> lines, string logDirectory)
    {
        ExitCode = exitCode;
        Lines = lines;
        LogDirectory = logDirectory;
        Figures = lines.LastOrDefault(line => line.StartsWith("figures: ", StringComparison.Ordinal)) is { } figures
            ? figures["figures: ".Length..].Split(' ', StringSplitOptions.RemoveEmptyEntries)
                .Select(pair => pair.Split('=', 2))
                .ToDictionary(pair => pair[0], pair => pair.Length > 1 ? pair[1] : "")
            : [];
    }

    public int ExitCode { get; }

    /// <summary>Everything the script printed, standard output and error.</summary>
    public IReadOnlyList<string> Lines { get; }

    public string LogDirectory { get; }

    /// <summary>The name=value pairs of the script's "figures:" line; empty when it printed none.</summary>
    public IReadOnlyDictionary<string, string> Figures { get; }

    /// <summary>A count of the figures (0 when it is missing, so that an assertion on it fails).</summary>
    public long Count(string name) =>
        Figures.TryGetValue(name, out var value) && long.TryParse(value, CultureInfo.InvariantCulture, out var count) ? count : -1;

    /// <summary>A time of the figures in seconds; null when the script measured none ("none") or printed none.</summary>
    public double? Seconds(string name) =>
        Figures.TryGetValue(name, out var value) && double.TryParse(value, CultureInfo.InvariantCulture, out var seconds) ? seconds : null;

    /// <summary>How front door instance <paramref name="node"/> marked region-a's API, in order ("DOWN", "UP").</summary>
    public IReadOnlyList<string> FrontDoorMarks(long node) =>
        Figures.TryGetValue($"front_door_{node}", out var marks) ? marks.Split(',', StringSplitOptions.RemoveEmptyEntries) : [];

    /// <summary>The last lines printed, for a failure message.</summary>
    public string Tail => string.Join('\n', Lines.TakeLast(40));

    /// <summary>Runs the demo with the database primary on <paramref name="primary"/> when region-a is cut off.</summary>
    public static async Task<FailoverDemo> RunAsync(string repositoryRoot, string primary, ITestOutputHelper output)
    {
        var name = $"{primary}-{DateTimeOffset.UtcNow:HHmmss}";
        var logDirectory = Path.Combine(repositoryRoot, ".artifacts", "demo-logs", name);
        Directory.CreateDirectory(logDirectory);
        var startInfo = new ProcessStartInfo("bash", [Path.Combine(repositoryRoot, "scripts", "failover-demo.sh")])
        {
            WorkingDirectory = repositoryRoot,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        startInfo.Environment["DEMO_PRIMARY"] = primary;
        startInfo.Environment["DEMO_PREBUILT"] = "1";
        startInfo.Environment["DEMO_LOG_DIR"] = logDirectory;
        startInfo.Environment["DEMO_NETNS"] = $"pdt{Environment.ProcessId}";
        // The demo chooses its own instance, ports and namespaces: nothing of the integration tests' servers leaks in.
        startInfo.Environment.Remove("PAYMENTS_NETNS");

        var lines = new List<string>();
        // Beside the demo's folder, not in it: the demo empties its folder of *.log when it starts.
        await using var log = new StreamWriter($"{logDirectory}.out") { AutoFlush = true };
        using var process = new Process { StartInfo = startInfo };
        process.OutputDataReceived += (_, line) => Keep(line.Data);
        process.ErrorDataReceived += (_, line) => Keep(line.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        using (var limit = new CancellationTokenSource(Limit))
        {
            try
            {
                await process.WaitForExitAsync(limit.Token);
            }
            catch (OperationCanceledException)
            {
                await StopAsync(process);
                throw new TimeoutException($"scripts/failover-demo.sh did not finish within {Limit}; its logs: {logDirectory}");
            }
        }

        lock (lines)
        {
            return new FailoverDemo(process.ExitCode, [.. lines], logDirectory);
        }

        void Keep(string? line)
        {
            if (line is null)
            {
                return;
            }

            lock (lines)
            {
                lines.Add(line);
                log.WriteLine(line);
            }

            output.WriteLine(line);
        }
    }

    // SIGTERM lets the script's trap stop everything it started; SIGKILL only if that does not end it.
    private static async Task StopAsync(Process process)
    {
        using (var signal = Process.Start("kill", ["-TERM", process.Id.ToString(CultureInfo.InvariantCulture)]))
        {
            await signal.WaitForExitAsync();
        }

        using var patience = new CancellationTokenSource(CleanupPatience);
        try
        {
            await process.WaitForExitAsync(patience.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
        }
    }
}
