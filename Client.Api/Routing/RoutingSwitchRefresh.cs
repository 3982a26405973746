using Microsoft.Extensions.Options;
using Payments.Api.Hosting;

namespace Payments.Api.Routing;

/// <summary>
/// Applies the stored routing switches to this API's clusters every <see cref="RoutingOptions.SwitchRefreshInterval"/>,
/// so an operator's switch made on any API replica steers this one within that time, and the replica that took it at
/// once. When the store cannot be read, the switches read last stay in force (as the API keys do, ApiKeyRefresh).
/// </summary>
public sealed class RoutingSwitchRefresh(
    IRoutingSwitchStore store, ClusterHealthRegistry health, IOptions<RoutingOptions> options, TimeProvider time,
    ILogger<RoutingSwitchRefresh> logger) : StoreRefresh(options.Value.SwitchRefreshInterval, time, logger, "Routing switches")
{
    /// <summary>Sets the switch of <paramref name="region"/> by <paramref name="actor"/>; false when this API has no cluster of it.</summary>
    public async Task<bool> SetAsync(string region, bool forceFailover, string actor, CancellationToken cancellationToken)
    {
        if (health.Find(region) is not { } cluster)
        {
            return false;
        }

        await OneAtATimeAsync(async token =>
        {
            var change = new RoutingSwitch(region, forceFailover, actor, Time.GetUtcNow());
            await store.SetAsync(change, token);
            cluster.Apply(change);
        }, cancellationToken);
        return true;
    }

    protected override async Task ReadAsync(CancellationToken cancellationToken)
    {
        var switches = (await store.ReadAllAsync(cancellationToken)).ToDictionary(s => s.Region, StringComparer.Ordinal);
        foreach (var cluster in health.All)
        {
            cluster.Apply(switches.GetValueOrDefault(cluster.Region));
        }
    }
}
