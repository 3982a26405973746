namespace Payments.Api.Routing;

/// <summary>
/// Picks the cluster that serves an account. An account's home cluster when this API reaches it, otherwise the
/// local cluster, which loads the account from the shared store.
/// </summary>
public sealed class AccountRouter(IClusterClients clusters, ApiRegion local)
{
    /// <summary>The cluster for an account of <paramref name="region"/>, or null when no cluster is reachable.</summary>
    public Route? ForRegion(string region)
    {
        if (clusters.Find(region) is { } home)
        {
            return new Route(region, home);
        }

        return clusters.Find(local.Name) is { } fallback ? new Route(local.Name, fallback) : null;
    }

    /// <summary>The cluster for an existing account.</summary>
    public Route? ForAccount(string accountId) => ForRegion(local.Name);
}

/// <summary>A cluster chosen for a request.</summary>
public sealed record Route(string Region, IGrainFactory Grains)
{
    public IAccountGrain Account(string accountId) => Grains.GetGrain<IAccountGrain>(accountId);
}
