using System.Diagnostics;
using System.Net.Http.Headers;

namespace Payments.Integration.Tests.Infrastructure;

/// <summary>
/// A silo or API running as a real process, so that tests can stop it gracefully (SIGTERM) or kill it (SIGKILL)
/// the way an operator or a crash would. Its output goes to <c>.artifacts/it-logs/{name}-{pid}.log</c>.
/// </summary>
public sealed class AppProcess : IAsyncDisposable
{
    private static readonly TimeSpan ReadyTimeout = TimeSpan.FromSeconds(90);
    private readonly ProcessStartInfo _startInfo;
    private readonly string _logDirectory;
    private Process? _process;
    private StreamWriter? _log;

    internal AppProcess(string name, string region, int httpPort, ProcessStartInfo startInfo, string logDirectory)
    {
        Name = name;
        Region = region;
        HttpPort = httpPort;
        _startInfo = startInfo;
        _logDirectory = logDirectory;
    }

    public string Name { get; }

    public string Region { get; }

    public int HttpPort { get; }

    public Uri BaseAddress => new($"http://127.0.0.1:{HttpPort}");

    public bool IsRunning => _process is { HasExited: false };

    /// <summary>The id of the current (or last) process: unchanged means it was never restarted.</summary>
    public int? ProcessId => _process?.Id;

    /// <summary>The file the current (or last) process writes its output to.</summary>
    public string LogPath { get; private set; } = "";

    /// <summary>Starts the process (again, after a stop or a kill, with the same ports) and waits until it is ready.</summary>
    public async Task StartAsync()
    {
        if (IsRunning)
        {
            throw new InvalidOperationException($"{Name} is already running.");
        }

        _process = Process.Start(_startInfo) ?? throw new InvalidOperationException($"Could not start {Name}.");
        Directory.CreateDirectory(_logDirectory);
        LogPath = Path.Combine(_logDirectory, $"{Name}-{_process.Id}.log");
        _log = new StreamWriter(LogPath) { AutoFlush = true };
        var log = _log;
        _process.OutputDataReceived += (_, line) => WriteLine(log, line.Data);
        _process.ErrorDataReceived += (_, line) => WriteLine(log, line.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        await WaitReadyAsync();
    }

    /// <summary>SIGKILL: the process gets no chance to finish anything, like a crash or a lost machine.</summary>
    public void Kill()
    {
        if (IsRunning)
        {
            _process!.Kill(entireProcessTree: true);
            _process.WaitForExit();
        }
    }

    /// <summary>SIGTERM and wait: the graceful shutdown of a rolling upgrade or a scale-in.</summary>
    public async Task StopAsync(TimeSpan? timeout = null)
    {
        if (!IsRunning)
        {
            return;
        }

        using (var signal = Process.Start("kill", ["-TERM", _process!.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
        {
            await signal.WaitForExitAsync();
        }

        using var deadline = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(60));
        try
        {
            await _process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            Kill();
            throw new TimeoutException($"{Name} did not stop within {timeout ?? TimeSpan.FromSeconds(60)} after SIGTERM.");
        }
    }

    /// <summary>What the current (or last) process has written so far.</summary>
    public string ReadLog()
    {
        using var stream = new FileStream(LogPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    /// <summary>A client of this process's HTTP endpoint with <c>Authorization: Bearer {apiKey}</c>.</summary>
    public HttpClient CreateClient(string? apiKey = null)
    {
        var client = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
        if (apiKey is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", apiKey);
        }

        return client;
    }

    public async ValueTask DisposeAsync()
    {
        Kill();
        _process?.Dispose();
        if (_log is not null)
        {
            await _log.DisposeAsync();
        }
    }

    private async Task WaitReadyAsync()
    {
        using var http = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(5) };
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < ReadyTimeout)
        {
            if (!IsRunning)
            {
                throw new InvalidOperationException($"{Name} exited with {_process!.ExitCode} before it was ready; see {LogPath}.");
            }

            try
            {
                if ((await http.GetAsync("/health/ready")).IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            catch (TaskCanceledException)
            {
                // Busy starting.
            }

            await Task.Delay(200);
        }

        Kill();
        throw new TimeoutException($"{Name} was not ready within {ReadyTimeout}; see {LogPath}.");
    }

    private static void WriteLine(StreamWriter log, string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (log)
        {
            try
            {
                log.WriteLine(line);
            }
            catch (ObjectDisposedException)
            {
                // The test is over; the process's last words are not needed.
            }
        }
    }
}
