using Microsoft.Extensions.Options;

namespace Payments.Api.Routing;

/// <summary>Whether a call that did not reach its cluster may be made once more on the next one.</summary>
public enum Retry
{
    /// <summary>Not safe to repeat elsewhere (a write the ledger does not deduplicate): the client gets 503.</summary>
    Never = 0,
    /// <summary>Safe to repeat once: a read, or a write that the ledger deduplicates by its Idempotency-Key.</summary>
    OnAnotherCluster = 1,
}

/// <summary>
/// Sends each call to the cluster that should serve it: an account's home region while that cluster takes traffic,
/// otherwise the local cluster (or, when the home region is the local one, another region's), which loads the account
/// from the shared store. Every call has a short deadline and its outcome feeds the cluster's breaker. A call that
/// did not reach its cluster is repeated once on the next one only when that is safe (<see cref="Retry"/>); the
/// ledger's fencing makes a late or duplicate activation in the first cluster harmless.
/// </summary>
public sealed class AccountRouter(
    IClusterClients clusters,
    ClusterHealthRegistry health,
    HomeRegionDirectory directory,
    ApiRegion local,
    RoutingMetrics metrics,
    IOptions<RoutingOptions> options,
    TimeProvider time)
{
    // The configured regions never change while the API runs.
    private readonly string[] _regions = [.. clusters.Regions.Order(StringComparer.Ordinal)];

    /// <summary>
    /// Calls the account grain of <paramref name="accountId"/> on the cluster that serves it now, for
    /// <paramref name="request"/>: whether it may be repeated elsewhere is <see cref="RetrySafety"/>'s to say.
    /// </summary>
    public Task<T> CallAccountAsync<T>(string accountId, Func<IAccountGrain, Task<T>> call, HttpContext request) =>
        CallAccountAsync(accountId, call, RetrySafety.Of(request), request.RequestAborted);

    /// <summary>Calls a grain that belongs to <paramref name="homeRegion"/> for <paramref name="request"/>.</summary>
    public Task<T> CallAsync<T>(string homeRegion, Func<IGrainFactory, Task<T>> call, HttpContext request) =>
        CallAsync(homeRegion, call, RetrySafety.Of(request), request.RequestAborted);

    internal async Task<T> CallAccountAsync<T>(string accountId, Func<IAccountGrain, Task<T>> call, Retry retry, CancellationToken cancellationToken)
    {
        var home = await HomeRegionAsync(accountId, cancellationToken) ?? local.Name;
        return await CallAsync(home, grains => call(grains.GetGrain<IAccountGrain>(accountId)), retry, cancellationToken);
    }

    /// <summary>
    /// Calls a grain that belongs to <paramref name="homeRegion"/> on the cluster that serves that region now. The
    /// request's own cancellation (the client gone, the request timeout) also ends the wait: the client retries with
    /// its Idempotency-Key, which finds the call's result if it took effect after all.
    /// </summary>
    internal async Task<T> CallAsync<T>(string homeRegion, Func<IGrainFactory, Task<T>> call, Retry retry, CancellationToken cancellationToken)
    {
        var candidates = Candidates(homeRegion);
        if (candidates.Count == 0)
        {
            throw new ClusterUnavailableException($"No cluster is connected to serve {homeRegion}.");
        }

        var attempts = retry == Retry.OnAnotherCluster ? Math.Min(2, candidates.Count) : 1;
        for (var attempt = 0; ; attempt++)
        {
            var (cluster, client) = candidates[attempt];
            if (!string.Equals(cluster.Region, homeRegion, StringComparison.Ordinal))
            {
                metrics.ServedAway(homeRegion, cluster.Region);
            }

            try
            {
                var result = await call(client).WaitAsync(options.Value.CallTimeout, time, cancellationToken);
                cluster.RecordSuccess();
                return result;
            }
            catch (Exception ex) when (TransportFailures.Is(ex))
            {
                // A refused connection is the cluster's fault. A call that merely ran out of time may be one busy
                // account (a hot account queues its own payments): it counts against the cluster, and is repeated
                // elsewhere, only once the cluster's probes (a stateless grain, no account queue) say it is sick too.
                var busyNotSick = ex is TimeoutException && cluster.TakesTraffic;
                if (!busyNotSick)
                {
                    cluster.RecordFailure(TransportFailures.Describe(ex));
                }

                if (busyNotSick || attempt + 1 >= attempts)
                {
                    throw new ClusterUnavailableException($"The cluster of {cluster.Region} did not answer.", ex);
                }

                metrics.Retried(cluster.Region, candidates[attempt + 1].Cluster.Region);
            }
        }
    }

    /// <summary>The region whose cluster serves <paramref name="homeRegion"/>'s accounts now, or null when none is connected.</summary>
    public string? ServedBy(string homeRegion) => Candidates(homeRegion) is [var first, ..] ? first.Cluster.Region : null;

    /// <summary>
    /// The connected clusters that may serve <paramref name="homeRegion"/>, best first: the home region, the local
    /// one, then the others; those taking traffic before those whose breaker is open, which are tried only when no
    /// cluster is healthy (an open breaker says "prefer another", not "never"). A cluster the operator forced into
    /// failover is never used.
    /// </summary>
    private List<(ClusterHealth Cluster, IClusterClient Client)> Candidates(string homeRegion)
    {
        // Built on every call, so plain loops: no LINQ iterators or closures on the request path.
        var healthy = new List<(ClusterHealth Cluster, IClusterClient Client)>(_regions.Length + 1);
        List<(ClusterHealth Cluster, IClusterClient Client)>? sick = null;
        Add(homeRegion);
        if (!string.Equals(local.Name, homeRegion, StringComparison.Ordinal))
        {
            Add(local.Name);
        }

        foreach (var region in _regions)
        {
            if (!string.Equals(region, homeRegion, StringComparison.Ordinal) && !string.Equals(region, local.Name, StringComparison.Ordinal))
            {
                Add(region);
            }
        }

        if (sick is not null)
        {
            healthy.AddRange(sick);
        }

        return healthy;

        void Add(string region)
        {
            if (health.Find(region) is { ForcedFailover: false } cluster && clusters.Find(region) is { } client)
            {
                if (cluster.TakesTraffic)
                {
                    healthy.Add((cluster, client));
                }
                else
                {
                    (sick ??= []).Add((cluster, client));
                }
            }
        }
    }

    private async ValueTask<string?> HomeRegionAsync(string accountId, CancellationToken cancellationToken)
    {
        // Nearly every account is known already: no store read, so no deadline to arm for one.
        if (directory.TryFindKnown(accountId, out var known))
        {
            return known;
        }

        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(options.Value.CallTimeout);
        try
        {
            return await directory.FindAsync(accountId, deadline.Token);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            throw new ClusterUnavailableException("The account directory did not answer.", ex);
        }
    }
}
