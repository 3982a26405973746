namespace Payments.Api.Routing;

/// <summary>Builds the health views from the breakers, the clients and the router's current choice.</summary>
public sealed class RegionHealthReport(
    IClusterClients clusters, ClusterHealthRegistry health, AccountRouter router, ApiRegion local) : IRegionHealth
{
    public IReadOnlyList<RegionHealthView> Describe() =>
        health.All.OrderBy(cluster => cluster.Region, StringComparer.Ordinal).Select(View).ToList();

    public RegionHealthView? Describe(string region) => health.Find(region) is { } cluster ? View(cluster) : null;

    private RegionHealthView View(ClusterHealth cluster)
    {
        var servedBy = router.ServedBy(cluster.Region);
        return new RegionHealthView(
            cluster.Region,
            string.Equals(cluster.Region, local.Name, StringComparison.Ordinal),
            clusters.Find(cluster.Region) is not null,
            cluster.Breaker,
            cluster.ForcedFailover,
            cluster.TakesTraffic,
            cluster.LastProbeLatency?.TotalMilliseconds,
            cluster.LastProbeAt,
            cluster.UnhealthySince,
            cluster.LastFailure,
            servedBy,
            servedBy is not null && !string.Equals(servedBy, cluster.Region, StringComparison.Ordinal),
            cluster.Routing?.SetBy,
            cluster.Routing?.SetAt);
    }
}
