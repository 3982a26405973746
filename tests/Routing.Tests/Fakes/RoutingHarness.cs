using System.Diagnostics.Metrics;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Payments.Api.Auditing;
using Payments.Api.Routing;

namespace Payments.Routing.Tests.Fakes;

/// <summary>
/// The routing classes wired as in the API, against fake clusters of region-a and region-b, a fake account directory
/// and a fake clock. This API runs in <see cref="Local"/>.
/// </summary>
public sealed class RoutingHarness : IDisposable
{
    public static readonly RoutingOptions Options = new()
    {
        ProbeInterval = TimeSpan.FromMilliseconds(250),
        ProbeTimeout = TimeSpan.FromSeconds(1),
        CallTimeout = TimeSpan.FromSeconds(2),
        FailureThreshold = 3,
        RecoveryPeriod = TimeSpan.FromSeconds(5),
    };

    private readonly ServiceProvider _services = new ServiceCollection().AddMetrics().BuildServiceProvider();

    /// <param name="local">The region this API runs in.</param>
    /// <param name="switches">The routing switch store, shared with another harness to stand for two API replicas.</param>
    public RoutingHarness(string local = "region-b", IRoutingSwitchStore? switches = null)
    {
        Local = local;
        var options = Microsoft.Extensions.Options.Options.Create(Options);
        Store = new SharedStoreWatch(StorePing, options, Time, NullLogger<SharedStoreWatch>.Instance);
        Health = new ClusterHealthRegistry(Clusters, Store, options, Time, NullLogger<ClusterHealthRegistry>.Instance);
        Directory = new HomeRegionDirectory(options, Accounts);
        Router = new AccountRouter(Clusters, Health, Directory, new ApiRegion(local),
            new RoutingMetrics(_services.GetRequiredService<IMeterFactory>()), options, Time);
        Prober = new ClusterProber(Clusters, Health, options, Time);
        Report = new RegionHealthReport(Clusters, Health, Router, new ApiRegion(local));
        SwitchStore = switches ?? new InMemoryRoutingSwitchStore(Audit);
        Switches = new RoutingSwitchRefresh(SwitchStore, Health, options, Time, NullLogger<RoutingSwitchRefresh>.Instance);
    }

    public string Local { get; }

    public FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 11, 25, 10, 0, 0, TimeSpan.Zero));

    public FakeClusters Clusters { get; } = new("region-a", "region-b");

    public FakeHomeRegions Accounts { get; } = new();

    public FakeStorePing StorePing { get; } = new();

    public SharedStoreWatch Store { get; }

    public ClusterHealthRegistry Health { get; }

    public HomeRegionDirectory Directory { get; }

    public AccountRouter Router { get; }

    public ClusterProber Prober { get; }

    public RegionHealthReport Report { get; }

    public InMemoryAdminAudit Audit { get; } = new(NullLogger<InMemoryAdminAudit>.Instance);

    public IRoutingSwitchStore SwitchStore { get; }

    public RoutingSwitchRefresh Switches { get; }

    public ClusterHealth HealthOf(string region) => Health.Find(region)!;

    /// <summary>Probes every cluster once, as the prober's loop does on each tick.</summary>
    public async Task ProbeAllAsync()
    {
        foreach (var cluster in Health.All)
        {
            await Prober.ProbeAsync(cluster);
        }
    }

    /// <summary>Probes every cluster on each tick for <paramref name="duration"/> of fake time.</summary>
    public async Task ProbeForAsync(TimeSpan duration)
    {
        for (var elapsed = TimeSpan.Zero; elapsed <= duration; elapsed += Options.ProbeInterval)
        {
            await ProbeAllAsync();
            Time.Advance(Options.ProbeInterval);
        }
    }

    /// <summary>
    /// Calls the account grain of <paramref name="accountId"/> through the router for <paramref name="request"/> (a read
    /// by default); the answer names the deciding region.
    /// </summary>
    public async Task<string> DecidedByAsync(string accountId, HttpContext? request = null) =>
        (await Router.CallAccountAsync(accountId, account => account.GetPaymentAsync("pay-1"), request ?? Requests.Read()))!.DecidedBy;

    public void Dispose()
    {
        Switches.Dispose();
        Store.Dispose();
        Directory.Dispose();
        _services.Dispose();
    }
}

/// <summary>The accounts table, in memory; counts its reads.</summary>
public sealed class FakeHomeRegions : IHomeRegionSource
{
    private readonly Dictionary<string, string> _homes = new(StringComparer.Ordinal);
    private int _reads;

    public int Reads => _reads;

    public void Add(string accountId, string region) => _homes[accountId] = region;

    public Task<string?> FindAsync(string accountId, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _reads);
        return Task.FromResult(_homes.GetValueOrDefault(accountId));
    }
}
