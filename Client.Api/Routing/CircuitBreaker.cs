namespace Payments.Api.Routing;

/// <summary>Whether a cluster takes traffic.</summary>
public enum BreakerState
{
    /// <summary>Healthy: it serves its accounts.</summary>
    Closed = 0,
    /// <summary>Failing: its accounts are served elsewhere.</summary>
    Open = 1,
    /// <summary>Answering again, but not yet for a whole recovery period: its accounts are still served elsewhere.</summary>
    Recovering = 2,
}

/// <summary>
/// Opens after a number of consecutive failures (probes and real calls alike) and closes again only once the
/// cluster has answered without a single failure for the recovery period: the hysteresis that keeps accounts from
/// flapping between regions while a cluster comes back. It starts open, and a cluster never seen healthy closes at
/// its first success, since there is nothing to flap from.
/// </summary>
public sealed class CircuitBreaker(int failureThreshold, TimeSpan recoveryPeriod, TimeProvider time)
{
    private readonly Lock _lock = new();
    private int _consecutiveFailures;
    private bool _open = true;
    private bool _everClosed;
    private DateTimeOffset? _healthySince;

    public BreakerState State
    {
        get
        {
            lock (_lock)
            {
                return StateLocked();
            }
        }
    }

    /// <summary>When the breaker last opened; null while closed or before the cluster was first reached.</summary>
    public DateTimeOffset? OpenedAt { get; private set; }

    /// <summary>Records an answer; returns the new state when this changed it.</summary>
    public BreakerState? RecordSuccess()
    {
        lock (_lock)
        {
            _consecutiveFailures = 0;
            if (!_open)
            {
                return null;
            }

            var before = StateLocked();
            var now = time.GetUtcNow();
            _healthySince ??= now;
            if (!_everClosed || now - _healthySince.Value >= recoveryPeriod)
            {
                _open = false;
                _everClosed = true;
                _healthySince = null;
                OpenedAt = null;
            }

            return Changed(before);
        }
    }

    /// <summary>Records a failure; returns the new state when this changed it.</summary>
    public BreakerState? RecordFailure()
    {
        lock (_lock)
        {
            var before = StateLocked();
            if (_open)
            {
                _healthySince = null;
            }
            else if (++_consecutiveFailures >= failureThreshold)
            {
                _open = true;
                OpenedAt = time.GetUtcNow();
            }

            return Changed(before);
        }
    }

    private BreakerState StateLocked() =>
        !_open ? BreakerState.Closed : _healthySince is null ? BreakerState.Open : BreakerState.Recovering;

    private BreakerState? Changed(BreakerState before) => StateLocked() is var after && after != before ? after : null;
}
