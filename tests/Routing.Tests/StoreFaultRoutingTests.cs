using Payments.Api.Routing;
using Payments.Contracts;
using Payments.Routing.Tests.Fakes;

namespace Payments.Routing.Tests;

/// <summary>
/// A silo that answers that its store cannot be read is a store fault, which every region shares: it never counts
/// against the region's breaker, even while the API's own ping of the store still answers (the ping and the silo may
/// see the store differently during a promotion). A cluster that stops answering is a cluster loss, whatever its
/// grains said before. This API runs in region-b; <c>acc-a</c> lives in region-a.
/// </summary>
public sealed class StoreFaultRoutingTests : IAsyncLifetime, IDisposable
{
    private readonly RoutingHarness _routing = new(local: "region-b");

    public async Task InitializeAsync()
    {
        _routing.Accounts.Add("acc-a", "region-a");
        await _routing.ProbeAllAsync();
        await _routing.Store.PingAsync();
    }

    public Task DisposeAsync() => Task.CompletedTask;

    public void Dispose() => _routing.Dispose();

    [Fact]
    public async Task Store_unavailable_answers_never_fail_the_region_over_while_the_store_ping_answers()
    {
        _routing.Clusters["region-a"].Behaviour = ClusterBehaviour.StoreUnavailable;
        var localCalls = _routing.Clusters["region-b"].Calls;

        // One after the other with no probe between them: a probe's success would reset a count of failures.
        for (var i = 0; i < 3 * RoutingHarness.Options.FailureThreshold; i++)
        {
            await Assert.ThrowsAsync<AccountUnavailableException>(() => _routing.DecidedByAsync("acc-a"));
        }

        Assert.False(_routing.Store.IsDown);
        Assert.Equal(BreakerState.Closed, _routing.HealthOf("region-a").Breaker);
        Assert.Null(_routing.HealthOf("region-a").LastFailure);
        // Not repeated on region-b either: its cluster would read the same store.
        Assert.Equal(localCalls, _routing.Clusters["region-b"].Calls);
    }

    [Fact]
    public async Task Cluster_that_stops_answering_after_store_unavailable_answers_still_fails_over()
    {
        _routing.Clusters["region-a"].Behaviour = ClusterBehaviour.StoreUnavailable;
        await Assert.ThrowsAsync<AccountUnavailableException>(() => _routing.DecidedByAsync("acc-a"));

        _routing.Clusters["region-a"].Behaviour = ClusterBehaviour.Refuses;
        await _routing.ProbeForAsync(TimeSpan.FromSeconds(1));

        Assert.Equal(BreakerState.Open, _routing.HealthOf("region-a").Breaker);
        Assert.Equal("region-b", await _routing.DecidedByAsync("acc-a"));
    }
}
