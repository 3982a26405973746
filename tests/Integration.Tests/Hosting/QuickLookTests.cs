using System.Diagnostics;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using Payments.K8s.Tests.Infrastructure;

namespace Payments.Integration.Tests.Hosting;

/// <summary>
/// The README's quick look, as a newcomer runs it: <c>dotnet run --project Client.Api</c> with no server at all, then
/// the README's curl commands, word for word but for the port (the test takes free ones), against it.
/// </summary>
public sealed partial class QuickLookTests : IAsyncLifetime
{
    private static readonly TimeSpan ReadyTimeout = TimeSpan.FromSeconds(90);
    private readonly string _root = RepositoryRoot.Path;
    private readonly List<string> _output = [];
    private Process? _api;

    [Fact]
    public async Task Readme_curl_examples_succeed_against_dotnet_run_of_the_api_with_no_server()
    {
        var port = FreePort();
        var commands = ReadmeQuickLookCommands();
        Assert.Contains("dotnet run --project Client.Api", commands);
        Assert.Contains(commands, command => command.Contains("/payments", StringComparison.Ordinal));
        _api = Start("Client.Api", port);
        await WaitReadyAsync(port);

        var answers = new List<(string Command, int Status, string Body)>();
        foreach (var command in commands.Where(command => command.StartsWith("curl ", StringComparison.Ordinal)))
        {
            answers.Add(await CurlAsync(command.Replace("http://127.0.0.1:5080", $"http://127.0.0.1:{port}", StringComparison.Ordinal)));
        }

        Assert.All(answers, answer => Assert.True(answer.Status is >= 200 and < 300, $"{answer.Command}\n→ {answer.Status} {answer.Body}"));
        Assert.Contains(answers, answer => answer.Body.Contains("\"status\":\"approved\"", StringComparison.Ordinal));
        AssertReadableLogs("warn: Payments.Api.Hosting.EmbeddedSilo");
    }

    [Fact]
    public async Task Silo_run_alone_serves_its_health_and_logs_text_in_development()
    {
        var port = FreePort();

        _api = Start("Silo", port);
        await WaitReadyAsync(port);

        AssertReadableLogs("warn: Payments.Silo[0]");
    }

    public Task InitializeAsync() => Task.CompletedTask;

    // IAsyncLifetime, not IAsyncDisposable: xUnit 2 never disposed this class asynchronously, and every run left its
    // `dotnet run` and the API or silo under it running.
    public async Task DisposeAsync()
    {
        if (_api is { HasExited: false })
        {
            _api.Kill(entireProcessTree: true);
            await _api.WaitForExitAsync();
        }

        _api?.Dispose();
    }

    /// <summary>The launch profile's Development console: one text line per record, not JSON.</summary>
    private void AssertReadableLogs(string expectedLine)
    {
        var output = Output();
        Assert.Contains(expectedLine, output, StringComparison.Ordinal);
        Assert.DoesNotContain(output.Split('\n'), line => line.TrimStart().StartsWith('{'));
    }

    /// <summary>The commands of the README's "Quick look" section, continuation lines joined.</summary>
    private List<string> ReadmeQuickLookCommands()
    {
        var readme = File.ReadAllText(Path.Combine(_root, "README.md"));
        var section = readme[readme.IndexOf("## Quick look", StringComparison.Ordinal)..];
        section = section[..section.IndexOf("\n## ", 3, StringComparison.Ordinal)];
        var commands = new List<string>();
        foreach (Match block in BashBlock().Matches(section))
        {
            var joined = block.Groups[1].Value.Replace("\\\n", " ", StringComparison.Ordinal);
            commands.AddRange(joined.Split('\n').Select(line => line.Trim()).Where(line => line.Length > 0));
        }

        return commands;
    }

    /// <summary><c>dotnet run --project <paramref name="project"/></c> with its launch profile, on free ports.</summary>
    private Process Start(string project, int port)
    {
        // The test's own build configuration (Release in CI), already built with the test project.
        var configuration = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar)).Parent!.Name;
        var start = new ProcessStartInfo("dotnet") { WorkingDirectory = _root, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in new[]
        {
            "run", "--no-build", "-c", configuration, "--project", project, "--",
            "--urls", $"http://127.0.0.1:{port}", $"--Orleans:SiloPort={FreePort()}", $"--Orleans:GatewayPort={FreePort()}",
        })
        {
            start.ArgumentList.Add(argument);
        }

        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, line) => Keep(line.Data);
        process.ErrorDataReceived += (_, line) => Keep(line.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    private async Task WaitReadyAsync(int port)
    {
        using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
        var waited = Stopwatch.StartNew();
        while (true)
        {
            Assert.False(_api!.HasExited, $"dotnet run exited:\n{Tail()}");
            Assert.True(waited.Elapsed < ReadyTimeout, $"not ready after {ReadyTimeout}:\n{Tail()}");
            try
            {
                if ((await client.GetAsync("/health/ready")).IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }

            await Task.Delay(250);
        }
    }

    private void Keep(string? line)
    {
        lock (_output)
        {
            if (line is not null)
            {
                _output.Add(line);
            }
        }
    }

    private string Output()
    {
        lock (_output)
        {
            return string.Join('\n', _output);
        }
    }

    private string Tail()
    {
        var output = Output();
        return output[^Math.Min(4000, output.Length)..];
    }

    private static async Task<(string Command, int Status, string Body)> CurlAsync(string command)
    {
        var start = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(command + " -w '\\n%{http_code}'");
        using var curl = Process.Start(start)!;
        var output = await curl.StandardOutput.ReadToEndAsync();
        await curl.WaitForExitAsync();
        var lastLine = output.LastIndexOf('\n');
        return (command, int.Parse(output[(lastLine + 1)..], System.Globalization.CultureInfo.InvariantCulture), output[..Math.Max(lastLine, 0)]);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }

    [GeneratedRegex("```bash\n(.*?)```", RegexOptions.Singleline)]
    private static partial Regex BashBlock();
}
