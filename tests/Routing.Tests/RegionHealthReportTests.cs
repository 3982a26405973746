using Payments.Api.Routing;
using Payments.Routing.Tests.Fakes;

namespace Payments.Routing.Tests;

public sealed class RegionHealthReportTests : IDisposable
{
    private readonly RoutingHarness _routing = new(local: "region-b");

    public void Dispose() => _routing.Dispose();

    [Fact]
    public async Task Healthy_regions_serve_their_own_accounts()
    {
        await _routing.ProbeAllAsync();

        var views = _routing.Report.Describe();

        Assert.Equal(["region-a", "region-b"], views.Select(v => v.Region));
        Assert.All(views, v => Assert.Equal((v.Region, BreakerState.Closed, false), (v.ServedBy, v.Breaker, v.ServedByFailover)));
        Assert.True(views.Single(v => v.Region == "region-b").Local);
    }

    [Fact]
    public async Task Failed_region_shows_its_open_breaker_and_who_serves_its_accounts()
    {
        await _routing.ProbeAllAsync();
        _routing.Clusters["region-a"].Behaviour = ClusterBehaviour.Refuses;
        await _routing.ProbeForAsync(TimeSpan.FromSeconds(1));

        var regionA = _routing.Report.Describe().Single(v => v.Region == "region-a");

        Assert.Equal(BreakerState.Open, regionA.Breaker);
        Assert.False(regionA.TakesTraffic);
        Assert.Equal("region-b", regionA.ServedBy);
        Assert.True(regionA.ServedByFailover);
        Assert.NotNull(regionA.UnhealthySince);
    }

    [Fact]
    public async Task Unknown_region_cannot_be_forced_into_failover()
    {
        var set = await _routing.Switches.SetAsync("region-z", forceFailover: true, "ops", CancellationToken.None);

        Assert.False(set);
        Assert.Null(_routing.Report.Describe("region-z"));
        Assert.Empty(await _routing.SwitchStore.ReadAllAsync(CancellationToken.None));
        Assert.Empty(_routing.Audit.Entries);
    }
}
