using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Payments.Api.Routing;
using Payments.Routing.Tests.Fakes;

namespace Payments.Routing.Tests;

public sealed class SharedStoreWatchTests : IDisposable
{
    private readonly RoutingHarness _routing = new();

    public void Dispose() => _routing.Dispose();

    [Fact]
    public async Task Probe_failures_while_the_shared_store_is_down_do_not_fail_the_region_over()
    {
        await RegionARefusesWhileTheStoreIsDownAsync();

        var regionA = _routing.HealthOf("region-a");
        Assert.True(_routing.Store.IsDown);
        Assert.Equal(BreakerState.Closed, regionA.Breaker);
        Assert.EndsWith("(not counted: the shared store is down)", regionA.LastFailure);
        Assert.True(regionA.TakesTraffic);
    }

    [Fact]
    public async Task Region_still_unreachable_once_the_store_answers_again_fails_over()
    {
        await RegionARefusesWhileTheStoreIsDownAsync();

        _routing.StorePing.Behaviour = StoreBehaviour.Answers;
        await _routing.Store.PingAsync();
        await _routing.ProbeForAsync(TimeSpan.FromSeconds(1));

        Assert.False(_routing.Store.IsDown);
        Assert.Equal(BreakerState.Open, _routing.HealthOf("region-a").Breaker);
        Assert.Equal("region-b", await _routing.DecidedByAsync(AccountOf("region-a")));
    }

    [Fact]
    public async Task Ping_that_hangs_says_the_store_is_down_at_its_deadline()
    {
        _routing.StorePing.Behaviour = StoreBehaviour.Hangs;

        var ping = _routing.Store.PingAsync();
        Assert.False(_routing.Store.IsDown);
        _routing.Time.Advance(RoutingHarness.Options.StorePingTimeout);
        await ping;

        Assert.True(_routing.Store.IsDown);
    }

    [Fact]
    public async Task Late_answer_of_an_older_ping_does_not_override_a_newer_failure()
    {
        _routing.StorePing.Behaviour = StoreBehaviour.Hangs;
        var older = _routing.Store.PingAsync();
        _routing.StorePing.Behaviour = StoreBehaviour.NoPrimary;
        await _routing.Store.PingAsync();

        _routing.StorePing.AnswerHanging();
        await older;

        Assert.True(_routing.Store.IsDown);
    }

    [Fact]
    public async Task Without_a_shared_store_it_is_never_down()
    {
        using var watch = new SharedStoreWatch(null, Options.Create(RoutingHarness.Options), _routing.Time, NullLogger<SharedStoreWatch>.Instance);

        await watch.PingAsync();

        Assert.False(watch.IsDown);
    }

    /// <summary>Both clusters healthy, then the store loses its primary and region-a's cluster refuses for 3 s of probes.</summary>
    private async Task RegionARefusesWhileTheStoreIsDownAsync()
    {
        await _routing.ProbeAllAsync();
        _routing.StorePing.Behaviour = StoreBehaviour.NoPrimary;
        await _routing.Store.PingAsync();
        _routing.Clusters["region-a"].Behaviour = ClusterBehaviour.Refuses;
        await _routing.ProbeForAsync(TimeSpan.FromSeconds(3));
    }

    private string AccountOf(string region)
    {
        var account = $"acc-{region}";
        _routing.Accounts.Add(account, region);
        return account;
    }
}
