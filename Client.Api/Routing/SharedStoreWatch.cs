using Microsoft.Extensions.Options;

namespace Payments.Api.Routing;

/// <summary>
/// Whether the store that every region shares is down, from pings on the probes' cadence. While it is, a cluster's
/// failures are not counted against its breaker (<see cref="ClusterHealth.RecordFailure"/>): no region can decide a
/// payment without the store, so a failover would gain nothing and cost the region's accounts their home, and a cluster
/// slowed by the store's fault (its requests waiting on it, retries piling up) is not a sick cluster. A region lost with
/// the store's primary fails over once the standby is promoted: its probes keep failing and then count.
/// </summary>
/// <remarks>
/// Pings are not serialised, like the probes: one that hangs does not hold back the next. The verdict is the outcome of
/// the latest ping started that has finished, so an old slow answer never overrides a newer one. Without a shared store
/// (<paramref name="ping"/> null: the quick look, the API tests) it is never down.
/// </remarks>
public sealed class SharedStoreWatch(ISharedStorePing? ping, IOptions<RoutingOptions> options, TimeProvider time, ILogger<SharedStoreWatch> logger)
    : BackgroundService
{
    private readonly Lock _lock = new();
    private long _started;
    private long _decidedBy;
    private volatile bool _down;

    /// <summary>True from a failed ping until one started after it answers.</summary>
    public bool IsDown => _down;

    /// <summary>Pings the store once and records the outcome (unless a ping started later has already decided).</summary>
    public async Task PingAsync()
    {
        if (ping is null)
        {
            return;
        }

        var sequence = Interlocked.Increment(ref _started);
        var deadline = options.Value.StorePingTimeout;
        using var cancel = new CancellationTokenSource(deadline, time);
        string? failure = null;
        try
        {
            await ping.PingAsync(cancel.Token).WaitAsync(deadline, time);
        }
        catch (Exception ex)
        {
            failure = $"{ex.GetType().Name}: {ex.Message}";
        }

        Record(sequence, failure);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (ping is null)
        {
            return;
        }

        using var timer = new PeriodicTimer(options.Value.ProbeInterval, time);
        try
        {
            do
            {
                _ = PingAsync();
            }
            while (await timer.WaitForNextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down.
        }
    }

    private void Record(long sequence, string? failure)
    {
        bool changed;
        lock (_lock)
        {
            if (sequence < _decidedBy)
            {
                return;
            }

            _decidedBy = sequence;
            changed = _down != failure is not null;
            _down = failure is not null;
        }

        if (changed && failure is not null)
        {
            logger.LogWarning("Shared store unreachable ({Reason}): clusters' failures are not counted against them until it answers", failure);
        }
        else if (changed)
        {
            logger.LogInformation("Shared store answers again: clusters' failures count again");
        }
    }
}
