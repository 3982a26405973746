using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Payments.Contracts;
using Payments.Grains.Tests.Cluster;
using Payments.Regions;

namespace Payments.Grains.Tests.Regions;

/// <summary>Waits until the silo's rules cache holds a version: the contract gives a change 5 seconds to get there.</summary>
internal static class RulesInForce
{
    private static readonly TimeSpan Contract = TimeSpan.FromSeconds(5);

    public static async Task<RegionRules> WaitForAsync(ClusterFixture cluster, string region, long version)
    {
        var provider = cluster.SiloServices.GetRequiredService<IRegionRulesProvider>();
        var waited = Stopwatch.StartNew();
        while (provider.Find(region) is not { } rules || rules.Version < version)
        {
            Assert.True(waited.Elapsed < Contract, $"Version {version} of {region} not in force after {Contract}.");
            await Task.Delay(TimeSpan.FromMilliseconds(50));
        }

        return provider.Find(region)!;
    }
}
