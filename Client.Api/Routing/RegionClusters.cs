using Microsoft.Extensions.Options;
using Payments.Regions;

namespace Payments.Api.Routing;

/// <summary>The clients of every region's cluster this API knows, connected in the background.</summary>
public sealed class RegionClusters : IClusterClients, IAsyncDisposable
{
    private readonly Dictionary<string, RegionCluster> _clusters;
    private readonly CancellationTokenSource _stopping = new();

    public RegionClusters(
        IConfiguration configuration, IOptions<ClusterIdentityOptions> identity, ILoggerFactory loggers, ILogger<RegionClusters> logger)
    {
        var serviceId = identity.Value.ServiceId;
        _clusters = ClusterSettings.From(configuration)
            .ToDictionary(s => s.Region, s => new RegionCluster(s, serviceId, loggers, logger), StringComparer.Ordinal);
    }

    public IReadOnlyCollection<string> Regions => _clusters.Keys;

    public IClusterClient? Find(string region) => _clusters.GetValueOrDefault(region)?.Client;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        foreach (var cluster in _clusters.Values)
        {
            _ = cluster.ConnectAsync(_stopping.Token);
        }

        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken) => await _stopping.CancelAsync();

    // The token source is cancelled, never disposed: a host may stop its services after the container disposed them
    // (a test host torn down while starting), and cancelling a disposed source throws. It has no timer to release.
    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        foreach (var cluster in _clusters.Values)
        {
            await cluster.DisposeAsync();
        }
    }
}
