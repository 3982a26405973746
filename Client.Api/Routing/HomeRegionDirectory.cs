using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;

namespace Payments.Api.Routing;

/// <summary>Where an account's home region is recorded: the <c>accounts</c> table of the shared store.</summary>
public interface IHomeRegionSource
{
    /// <summary>The home region of <paramref name="accountId"/>, or null when there is no such account.</summary>
    Task<string?> FindAsync(string accountId, CancellationToken cancellationToken);
}

/// <summary>
/// Account → home region, cached in memory: an account never changes region, so an entry never goes stale and a
/// region's failure does not need the store to route its accounts. Unknown accounts are not cached (one may be opened
/// a moment later). Without a source (no PostgreSQL configured) every account is served by the local cluster.
/// </summary>
public sealed class HomeRegionDirectory(IOptions<RoutingOptions> options, IHomeRegionSource? source = null) : IDisposable
{
    private readonly MemoryCache _cache = new(new MemoryCacheOptions { SizeLimit = options.Value.DirectoryCacheSize });

    /// <summary>The home region of <paramref name="accountId"/>, or null when unknown (the local cluster answers).</summary>
    public async ValueTask<string?> FindAsync(string accountId, CancellationToken cancellationToken)
    {
        if (TryFindKnown(accountId, out var known))
        {
            return known;
        }

        var region = await source!.FindAsync(accountId, cancellationToken);
        if (region is not null)
        {
            Remember(accountId, region);
        }

        return region;
    }

    /// <summary>
    /// The home region when it is known without reading the store (remembered, or no store: null, the local cluster);
    /// false when only the store can tell.
    /// </summary>
    public bool TryFindKnown(string accountId, out string? region)
    {
        region = null;
        return source is null || _cache.TryGetValue(accountId, out region);
    }

    /// <summary>Records the home region of an account this API just opened.</summary>
    public void Remember(string accountId, string region) =>
        _cache.Set(accountId, region, new MemoryCacheEntryOptions { Size = 1 });

    public void Dispose() => _cache.Dispose();
}
