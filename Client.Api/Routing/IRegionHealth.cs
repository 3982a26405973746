namespace Payments.Api.Routing;

/// <summary>Each region's cluster as this API sees it (<c>GET /v1/regions</c>), with the operator's routing switch.</summary>
public interface IRegionHealth
{
    IReadOnlyList<RegionHealthView> Describe();

    /// <summary>The view of <paramref name="region"/>'s cluster; null when this API has no cluster of it.</summary>
    RegionHealthView? Describe(string region);
}

/// <summary>One region's cluster as this API sees it, and which cluster serves that region's accounts now.</summary>
public sealed record RegionHealthView(
    string Region,
    bool Local,
    bool Connected,
    BreakerState Breaker,
    bool ForcedFailover,
    bool TakesTraffic,
    double? LastProbeLatencyMs,
    DateTimeOffset? LastProbeAt,
    DateTimeOffset? UnhealthySince,
    string? LastFailure,
    string? ServedBy,
    bool ServedByFailover,
    string? RoutingSetBy,
    DateTimeOffset? RoutingSetAt);
