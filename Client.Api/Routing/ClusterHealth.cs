namespace Payments.Api.Routing;

/// <summary>
/// One region's cluster as this API sees it: its circuit breaker (fed by the prober and by real calls), the last
/// probe, and the operator's switch that sends its accounts elsewhere on purpose.
/// </summary>
public sealed class ClusterHealth(string region, CircuitBreaker breaker, TimeProvider time, ILogger logger)
{
    private readonly Lock _lock = new();
    private volatile bool _forcedFailover;

    public string Region => region;

    public BreakerState Breaker => breaker.State;

    /// <summary>Set by an operator: the cluster is treated as unreachable whatever the probes say.</summary>
    public bool ForcedFailover
    {
        get => _forcedFailover;
        set => _forcedFailover = value;
    }

    /// <summary>Whether the cluster serves its accounts now.</summary>
    public bool TakesTraffic => !_forcedFailover && breaker.State == BreakerState.Closed;

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

    public void RecordSuccess() => Log(breaker.RecordSuccess(), null);

    public void RecordFailure(string reason)
    {
        lock (_lock)
        {
            LastFailure = reason;
        }

        Log(breaker.RecordFailure(), reason);
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
