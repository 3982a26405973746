using Microsoft.Extensions.Options;

namespace Payments.Api.Routing;

/// <summary>The health of every cluster this API is configured to reach, one <see cref="ClusterHealth"/> per region.</summary>
public sealed class ClusterHealthRegistry
{
    private readonly Dictionary<string, ClusterHealth> _clusters;

    public ClusterHealthRegistry(
        IClusterClients clusters, SharedStoreWatch store, IOptions<RoutingOptions> options, TimeProvider time, ILogger<ClusterHealthRegistry> logger)
    {
        var settings = options.Value;
        _clusters = clusters.Regions.ToDictionary(
            region => region,
            region => new ClusterHealth(region, new CircuitBreaker(settings.FailureThreshold, settings.RecoveryPeriod, time), store, time, logger),
            StringComparer.Ordinal);
    }

    public IReadOnlyCollection<ClusterHealth> All => _clusters.Values;

    /// <summary>The health of <paramref name="region"/>'s cluster, or null when this API has no client for it.</summary>
    public ClusterHealth? Find(string region) => _clusters.GetValueOrDefault(region);
}
