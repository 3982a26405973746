using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Npgsql;
using OpenTelemetry.Exporter;
using OpenTelemetry.Trace;
using Payments.Api.Routing;
using Payments.Hosting.Telemetry;
using Payments.Silo.Hosting;

namespace Payments.Integration.Tests.Infrastructure;

/// <summary>
/// One region of the real system inside the test process: silos running the silo's own Program (Redis clustering,
/// the PostgreSQL ledger and grain storage, the dashboard, telemetry) and one API running the API's Program, each
/// on a real Kestrel port. The region has a fresh name, so its cluster never meets another one in the shared Redis.
/// Every host's spans and log lines are captured.
/// </summary>
public sealed class RunningRegion : IAsyncLifetime, IAsyncDisposable
{
    public const string AdminKey = "dev-admin-key";
    public const string TerminalKey = "dev-terminal-key";
    private static readonly TimeSpan ReadyTimeout = TimeSpan.FromSeconds(90);
    private readonly int _siloCount;
    private readonly List<RunningSilo> _silos = [];
    // Both Programs are named Program, so each factory names its host by another type of the host's assembly.
    private WebApplicationFactory<ApiRegion>? _api;

    public RunningRegion()
        : this(silos: 2)
    {
    }

    internal RunningRegion(int silos) => _siloCount = silos;

    /// <summary>The region's name, also its Orleans ClusterId.</summary>
    public string Region { get; } = "obs-" + Guid.NewGuid().ToString("N")[..12];

    /// <summary>A password in every host's PostgreSQL connection string (the local server trusts, so it is never checked): it must never be logged.</summary>
    public string PostgresPassword { get; } = "never-logged-" + Guid.NewGuid().ToString("N");

    public RealServers Servers { get; } = new();

    public CapturedLogs Logs { get; } = new();

    public IReadOnlyList<RunningSilo> Silos => _silos;

    public SpanCollector ApiSpans { get; } = new();

    public Uri ApiAddress { get; private set; } = null!;

    /// <summary>The connection string the hosts use.</summary>
    public string Postgres => new NpgsqlConnectionStringBuilder(Servers.PostgresConnectionString) { Password = PostgresPassword }.ConnectionString;

    public async Task InitializeAsync()
    {
        await Servers.InitializeAsync();
        for (var i = 0; i < _siloCount; i++)
        {
            _silos.Add(await StartSiloAsync());
        }

        _api = CreateApi(ApiSpans);
        ApiAddress = Start(_api);
        await WaitReadyAsync(ApiAddress);
    }

    /// <summary>Another API of this region, not started, with some settings changed.</summary>
    public WebApplicationFactory<ApiRegion> CreateApi(SpanCollector spans, params (string Key, string Value)[] overrides)
    {
        var settings = ApiSettings();
        foreach (var (key, value) in overrides)
        {
            settings[key] = value;
        }

        return Configure(new WebApplicationFactory<ApiRegion>(), settings, spans);
    }

    /// <summary>Starts a host on a free port and returns its address.</summary>
    public static Uri Start<T>(WebApplicationFactory<T> factory)
        where T : class
    {
        factory.StartServer();
        return new Uri(factory.Services.GetRequiredService<IServer>().Features
            .GetRequiredFeature<IServerAddressesFeature>().Addresses.First());
    }

    /// <summary>Every span any host exported.</summary>
    public IReadOnlyList<Activity> AllSpans() =>
        [.. ApiSpans.Snapshot().Concat(_silos.SelectMany(silo => silo.Spans.Snapshot())).DistinctBy(span => span.SpanId)];

    /// <summary>An HTTP client of <paramref name="address"/> sending <paramref name="apiKey"/> as its bearer key, when given.</summary>
    public static HttpClient Client(Uri address, string? apiKey = null)
    {
        var client = new HttpClient { BaseAddress = address };
        if (apiKey is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", apiKey);
        }

        return client;
    }

    /// <summary>Stops one silo gracefully, as a rolling restart would.</summary>
    public async Task StopSiloAsync(RunningSilo silo)
    {
        _silos.Remove(silo);
        await silo.Factory.DisposeAsync();
    }

    Task IAsyncLifetime.DisposeAsync() => DisposeAsync().AsTask();

    public async ValueTask DisposeAsync()
    {
        if (_api is not null)
        {
            await _api.DisposeAsync();
        }

        foreach (var silo in Enumerable.Reverse(_silos))
        {
            await silo.Factory.DisposeAsync();
        }

        _silos.Clear();
    }

    private async Task<RunningSilo> StartSiloAsync()
    {
        var siloPort = FreePort();
        var gatewayPort = FreePort();
        var spans = new SpanCollector();
        var factory = Configure(new WebApplicationFactory<SiloSettings>(), SiloSettings(siloPort, gatewayPort), spans);
        var address = Start(factory);
        await WaitReadyAsync(address);
        return new RunningSilo(factory, address, siloPort, spans);
    }

    private WebApplicationFactory<T> Configure<T>(WebApplicationFactory<T> factory, Dictionary<string, string> settings, SpanCollector spans)
        where T : class
    {
        var configured = factory.WithWebHostBuilder(web =>
        {
            // Every request traced: the tests look for the spans of the requests they make.
            web.UseSetting($"{TracingOptions.Section}:TraceSampleRatio", "1");
            foreach (var (key, value) in settings)
            {
                web.UseSetting(key, value);
            }

            web.ConfigureLogging(logging => logging.AddProvider(Logs));
            web.ConfigureServices(services =>
            {
                services.ConfigureOpenTelemetryTracerProvider(tracing => tracing.AddInMemoryExporter(spans));
                // A scrape is cached 300 ms by default; the tests scrape before and after a few requests.
                services.Configure<PrometheusAspNetCoreOptions>(options => options.ScrapeResponseCacheDurationMilliseconds = 0);
            });
        });
        configured.UseKestrel();
        return configured;
    }

    private static async Task WaitReadyAsync(Uri address)
    {
        using var client = Client(address);
        var waited = Stopwatch.StartNew();
        while ((await client.GetAsync("/health/ready")).StatusCode != HttpStatusCode.OK)
        {
            if (waited.Elapsed > ReadyTimeout)
            {
                throw new TimeoutException($"{address} not ready after {ReadyTimeout}.");
            }

            await Task.Delay(250);
        }
    }

    private Dictionary<string, string> SiloSettings(int siloPort, int gatewayPort) => new(CommonSettings())
    {
        ["ConnectionStrings:Redis"] = Servers.RedisA,
        ["Orleans:SiloPort"] = $"{siloPort}",
        ["Orleans:GatewayPort"] = $"{gatewayPort}",
        [$"Payments:Regions:{Region}:TimeZone"] = "Europe/Paris",
        [$"Payments:Regions:{Region}:ResetHour"] = "3",
        [$"Payments:Regions:{Region}:Currency"] = "EUR",
        [$"Payments:Regions:{Region}:MaxPerPayment"] = "1000000",
        [$"Payments:Regions:{Region}:DefaultLimits:PerPayment"] = "50000",
        [$"Payments:Regions:{Region}:DefaultLimits:Daily"] = "100000",
        [$"Payments:Regions:{Region}:DefaultLimits:Weekly"] = "300000",
        [$"Payments:Regions:{Region}:DefaultLimits:Monthly"] = "800000",
        [$"Payments:Regions:{Region}:BlockedMccs:0"] = "7995",
    };

    private Dictionary<string, string> ApiSettings() => new(CommonSettings())
    {
        [$"Payments:Clusters:{Region}:Redis"] = Servers.RedisA,
    };

    private Dictionary<string, string> CommonSettings() => new()
    {
        // Any free port: the test asks the server which one it bound.
        ["Urls"] = "http://127.0.0.1:0",
        ["Payments:Region"] = Region,
        ["Payments:ServiceId"] = Region,
        ["ConnectionStrings:Postgres"] = Postgres,
        // Debug, so that the tests see the lines an operator would only turn on while investigating.
        ["Logging:LogLevel:Default"] = "Debug",
        ["Logging:LogLevel:Microsoft.AspNetCore"] = "Debug",
        ["Logging:LogLevel:Orleans"] = "Information",
    };

    /// <summary>A TCP port nothing listens on right now.</summary>
    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

/// <summary>One silo of a <see cref="RunningRegion"/>.</summary>
/// <param name="Address">Its HTTP address: health, metrics, the dashboard.</param>
/// <param name="SiloPort">Its Orleans silo-to-silo port, which the dashboard shows in the silo's address.</param>
public sealed record RunningSilo(WebApplicationFactory<SiloSettings> Factory, Uri Address, int SiloPort, SpanCollector Spans);

/// <summary>Tests that share one running region. Their collection never runs beside another (see AssemblyInfo.cs).</summary>
[CollectionDefinition(Name)]
public sealed class RunningRegionCollection : ICollectionFixture<RunningRegion>
{
    public const string Name = "running-region";
}
