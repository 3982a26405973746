namespace Payments.Api.Routing;

/// <summary>
/// One region's cluster as this API sees it: its circuit breaker (fed by the prober and by real calls, but not by
/// failures while the shared store is down, see <see cref="SharedStoreWatch"/>), the last probe, and the operator's
/// switch that sends its accounts elsewhere on purpose.
/// </summary>
public sealed class ClusterHealth(string region, CircuitBreaker breaker, SharedStoreWatch store, TimeProvider time, ILogger logger)
{
    private readonly Lock _lock = new();
    private volatile RoutingSwitch? _routing;

    public string Region => region;

    public BreakerState Breaker => breaker.State;

    /// <summary>The operator's switch as last set (<see cref="RoutingSwitchRefresh"/>), or null when never set.</summary>
    public RoutingSwitch? Routing => _routing;

    /// <summary>Set by an operator: the cluster is treated as unreachable whatever the probes say.</summary>
    public bool ForcedFailover => _routing is { ForceFailover: true };

    /// <summary>Whether the cluster serves its accounts now.</summary>
    public bool TakesTraffic => !ForcedFailover && breaker.State == BreakerState.Closed;

    public DateTimeOffset? UnhealthySince => breaker.OpenedAt;

    public TimeSpan? LastProbeLatency { get; private set; }

    public DateTimeOffset? LastProbeAt { get; private set; }

    public string? LastFailure { get; private set; }

    public void RecordProbe(TimeSpan latency)
    {
        lock (_lock)
        {
            LastProbeLatency = latency;
            LastProbeAt = time.GetUtcNow();
        }

        RecordSuccess();
    }

    /// <summary>Applies the operator's switch; logs when it changes whether the cluster is forced out.</summary>
    public void Apply(RoutingSwitch? routing)
    {
        var wasForced = ForcedFailover;
        _routing = routing;
        if (wasForced != ForcedFailover)
        {
            logger.LogWarning(
                ForcedFailover
                    ? "Cluster of {Region} forced into failover by {Actor} at {At}: its accounts are served by another cluster"
                    : "Cluster of {Region} released from forced failover by {Actor} at {At}",
                region, routing?.SetBy, routing?.SetAt);
        }
    }

    public void RecordSuccess() => Log(breaker.RecordSuccess(), null);

    public void RecordFailure(string reason)
    {
        var counted = !store.IsDown;
        lock (_lock)
        {
            LastFailure = counted ? reason : $"{reason} (not counted: the shared store is down)";
        }

        if (counted)
        {
            Log(breaker.RecordFailure(), reason);
        }
    }

    private void Log(BreakerState? changed, string? reason)
    {
        switch (changed)
        {
            case BreakerState.Open:
                logger.LogWarning("Cluster of {Region} unreachable ({Reason}): its accounts are served by another cluster", region, reason);
                break;
            case BreakerState.Recovering:
                logger.LogInformation("Cluster of {Region} answers again; its accounts return after a healthy recovery period", region);
                break;
            case BreakerState.Closed:
                logger.LogInformation("Cluster of {Region} healthy: it serves its accounts", region);
                break;
        }
    }
}
