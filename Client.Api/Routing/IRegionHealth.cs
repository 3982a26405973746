namespace Payments.Api.Routing;

/// <summary>Each region's cluster as this API sees it (<c>GET /v1/regions</c>), and the operator's failover switch.</summary>
public interface IRegionHealth
{
    IReadOnlyList<RegionHealthView> Describe();

    /// <summary>Sends <paramref name="region"/>'s accounts to another cluster (or back); null when the region is unknown here.</summary>
    RegionHealthView? SetForcedFailover(string region, bool forced);
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
    bool ServedByFailover);
