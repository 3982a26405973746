using System.Diagnostics;
using System.Net.Http.Json;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Payments.Integration.Tests.Infrastructure;

/// <summary>
/// A real headless Chromium driven over the DevTools protocol: one page that the test navigates, types into,
/// reads and photographs. <c>scripts/browser.sh</c> installs Chromium when it is missing.
/// </summary>
public sealed partial class HeadlessChromium : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(30);
    private readonly Process _process;
    private readonly string _profile;
    private readonly ClientWebSocket _page = new();
    private int _nextId;

    private HeadlessChromium(Process process, string profile)
    {
        _process = process;
        _profile = profile;
    }

    /// <summary>Starts Chromium with a fresh profile and connects to its first page.</summary>
    public static async Task<HeadlessChromium> StartAsync(string repositoryRoot)
    {
        var executable = (await RunAsync("bash", Path.Combine(repositoryRoot, "scripts", "browser.sh"))).Trim().Split('\n')[^1];
        var profile = Directory.CreateTempSubdirectory("payments-chromium-").FullName;
        var start = new ProcessStartInfo(executable)
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[]
        {
            "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
            "--disable-sync", "--no-first-run", "--disable-dev-shm-usage", "--window-size=1400,1000",
            $"--user-data-dir={profile}", "--remote-debugging-address=127.0.0.1", "--remote-debugging-port=0", "about:blank",
        })
        {
            start.ArgumentList.Add(argument);
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {executable}.");
        var browser = new HeadlessChromium(process, profile);
        try
        {
            var devTools = await ReadDevToolsAddressAsync(process);
            // Keep reading what Chromium writes, or a full pipe would stall it.
            _ = process.StandardError.ReadToEndAsync();
            _ = process.StandardOutput.ReadToEndAsync();
            using var http = new HttpClient { BaseAddress = new Uri($"http://{devTools}") };
            var targets = await http.GetFromJsonAsync<JsonArray>("/json/list") ?? [];
            var page = targets.First(target => (string?)target!["type"] == "page")!;
            await browser._page.ConnectAsync(new Uri((string)page["webSocketDebuggerUrl"]!), CancellationToken.None);
            return browser;
        }
        catch
        {
            await browser.DisposeAsync();
            throw;
        }
    }

    /// <summary>Opens <paramref name="url"/> and waits until the document has loaded.</summary>
    public async Task NavigateAsync(Uri url, TimeSpan timeout)
    {
        await SendAsync("Page.navigate", new JsonObject { ["url"] = url.ToString() });
        await WaitUntilAsync("document.readyState === 'complete' && location.href !== 'about:blank'", timeout);
    }

    /// <summary>Evaluates a JavaScript expression in the page and returns its value.</summary>
    public async Task<JsonNode?> EvaluateAsync(string expression)
    {
        var result = await SendAsync("Runtime.evaluate", new JsonObject
        {
            ["expression"] = expression,
            ["returnByValue"] = true,
            ["awaitPromise"] = true,
        });
        if (result["exceptionDetails"] is { } error)
        {
            throw new InvalidOperationException($"'{expression}' threw in the page: {error.ToJsonString()}");
        }

        return result["result"]?["value"];
    }

    /// <summary>Waits until a JavaScript condition holds in the page; false when <paramref name="timeout"/> passed first.</summary>
    public async Task<bool> WaitUntilAsync(string condition, TimeSpan timeout)
    {
        var waited = Stopwatch.StartNew();
        while (waited.Elapsed < timeout)
        {
            try
            {
                if (await EvaluateAsync($"Boolean({condition})") is JsonValue value && value.GetValue<bool>())
                {
                    return true;
                }
            }
            catch (InvalidOperationException)
            {
                // The page is between two documents (a navigation or a form post): try again.
            }

            await Task.Delay(200);
        }

        return false;
    }

    /// <summary>The text the page shows.</summary>
    public async Task<string> TextAsync() => (string?)await EvaluateAsync("document.body ? document.body.innerText : ''") ?? "";

    /// <summary>Saves a PNG of the page as it is rendered now.</summary>
    public async Task ScreenshotAsync(string path)
    {
        var shot = await SendAsync("Page.captureScreenshot", new JsonObject { ["format"] = "png" });
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        await File.WriteAllBytesAsync(path, Convert.FromBase64String((string)shot["data"]!));
    }

    public async ValueTask DisposeAsync()
    {
        _page.Dispose();
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
        try
        {
            Directory.Delete(_profile, recursive: true);
        }
        catch (IOException)
        {
            // A crash reporter may still hold a file; the folder is in the temp directory anyway.
        }
    }

    private async Task<JsonObject> SendAsync(string method, JsonObject parameters)
    {
        var id = ++_nextId;
        var message = new JsonObject { ["id"] = id, ["method"] = method, ["params"] = parameters };
        await _page.SendAsync(Encoding.UTF8.GetBytes(message.ToJsonString()), WebSocketMessageType.Text, true, CancellationToken.None);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (true)
        {
            var reply = await ReceiveAsync(timeout.Token);
            // Events (no id) and late replies are skipped: the test asks one thing at a time.
            if ((int?)reply["id"] != id)
            {
                continue;
            }

            if (reply["error"] is { } error)
            {
                throw new InvalidOperationException($"{method} failed: {error.ToJsonString()}");
            }

            return reply["result"]!.AsObject();
        }
    }

    private async Task<JsonObject> ReceiveAsync(CancellationToken cancellationToken)
    {
        var buffer = new byte[64 * 1024];
        using var message = new MemoryStream();
        WebSocketReceiveResult received;
        do
        {
            received = await _page.ReceiveAsync(buffer, cancellationToken);
            message.Write(buffer, 0, received.Count);
        }
        while (!received.EndOfMessage);

        return JsonNode.Parse(message.ToArray())!.AsObject();
    }

    private static async Task<string> ReadDevToolsAddressAsync(Process process)
    {
        // Chromium prints "DevTools listening on ws://127.0.0.1:PORT/devtools/browser/ID" once it listens.
        using var timeout = new CancellationTokenSource(StartTimeout);
        var output = new StringBuilder();
        while (await process.StandardError.ReadLineAsync(timeout.Token) is { } line)
        {
            output.AppendLine(line);
            if (DevToolsLine().Match(line) is { Success: true } match)
            {
                return match.Groups["address"].Value;
            }
        }

        throw new InvalidOperationException($"Chromium exited before opening its DevTools port:\n{output}");
    }

    private static async Task<string> RunAsync(string file, string argument)
    {
        var start = new ProcessStartInfo(file, [argument]) { RedirectStandardOutput = true, UseShellExecute = false };
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {file}.");
        var output = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        return process.ExitCode == 0 ? output : throw new InvalidOperationException($"{file} {argument} exited with {process.ExitCode}.");
    }

    [GeneratedRegex(@"DevTools listening on ws://(?<address>[^/]+)/")]
    private static partial Regex DevToolsLine();
}
