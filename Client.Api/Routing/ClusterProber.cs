using Microsoft.Extensions.Options;

namespace Payments.Api.Routing;

/// <summary>
/// Probes every cluster on a fixed cadence with the cheapest grain call there is and a short deadline. Probes are
/// not serialised: against a cluster that hangs rather than refuses, a failure then arrives every interval once the
/// first deadline has passed, so the breaker opens in about deadline + (threshold − 1) × interval.
/// </summary>
public sealed class ClusterProber(
    IClusterClients clusters, ClusterHealthRegistry health, IOptions<RoutingOptions> options, TimeProvider time) : BackgroundService
{
    private long _probes;

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(health.All.Select(cluster => ProbeLoopAsync(cluster, stoppingToken)));

    /// <summary>Probes <paramref name="cluster"/> once and records the outcome.</summary>
    public async Task ProbeAsync(ClusterHealth cluster)
    {
        if (clusters.Find(cluster.Region) is not { } client)
        {
            cluster.RecordFailure("not connected");
            return;
        }

        // Rotating keys spread the probes over the cluster's gateways (a stateless worker runs where it is received).
        var probe = client.GetGrain<IClusterProbeGrain>(Interlocked.Increment(ref _probes) % 16);
        var started = time.GetTimestamp();
        try
        {
            var answeredBy = await probe.PingAsync().WaitAsync(options.Value.ProbeTimeout, time);
            if (string.Equals(answeredBy, cluster.Region, StringComparison.Ordinal))
            {
                cluster.RecordProbe(time.GetElapsedTime(started));
            }
            else
            {
                cluster.RecordFailure($"answered by a silo of {answeredBy}: check the cluster's configuration");
            }
        }
        catch (Exception ex)
        {
            cluster.RecordFailure($"{ex.GetType().Name}: {ex.Message}");
        }
    }

    private async Task ProbeLoopAsync(ClusterHealth cluster, CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.ProbeInterval, time);
        try
        {
            do
            {
                _ = ProbeAsync(cluster);
            }
            while (await timer.WaitForNextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down.
        }
    }
}
