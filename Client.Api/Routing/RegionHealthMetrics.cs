using System.Diagnostics.Metrics;

namespace Payments.Api.Routing;

/// <summary>
/// Each region's cluster as this API sees it, read at every scrape, on the routing meter beside
/// <see cref="RoutingMetrics"/>: whether a client of it is connected, and whether it takes its accounts' traffic.
/// </summary>
public sealed class RegionHealthMetrics
{
    public RegionHealthMetrics(IMeterFactory meters, IClusterClients clusters, ClusterHealthRegistry health)
    {
        var meter = meters.Create(RoutingMetrics.MeterName);
        meter.CreateObservableGauge(
            "payments.region.connected",
            () => clusters.Regions.Select(region => Measure(clusters.Find(region) is not null, region)),
            description: "1 while this API holds a client of the region's cluster with an open gateway connection, else 0");
        meter.CreateObservableGauge(
            "payments.region.takes_traffic",
            () => health.All.Select(cluster => Measure(cluster.TakesTraffic, cluster.Region)),
            description: "1 while the region's cluster serves its accounts (breaker closed, no forced failover), else 0");
    }

    private static Measurement<int> Measure(bool value, string region) =>
        new(value ? 1 : 0, new KeyValuePair<string, object?>("region", region));
}
