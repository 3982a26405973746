using Microsoft.AspNetCore.Http;
using Payments.Api.Routing;
using Payments.Routing.Tests.Fakes;

namespace Payments.Routing.Tests;

/// <summary>This API runs in region-b; the account <c>acc-a</c> lives in region-a, <c>acc-b</c> in region-b.</summary>
public sealed class AccountRouterTests : IAsyncLifetime, IDisposable
{
    private readonly RoutingHarness _routing = new(local: "region-b");

    public async Task InitializeAsync()
    {
        _routing.Accounts.Add("acc-a", "region-a");
        _routing.Accounts.Add("acc-b", "region-b");
        await _routing.ProbeAllAsync();
    }

    public Task DisposeAsync() => Task.CompletedTask;

    public void Dispose() => _routing.Dispose();

    [Fact]
    public async Task Account_is_served_by_its_home_cluster_while_that_cluster_takes_traffic()
    {
        var decidedBy = await _routing.DecidedByAsync("acc-a");

        Assert.Equal("region-a", decidedBy);
    }

    [Fact]
    public async Task Account_is_served_by_the_local_cluster_once_its_home_cluster_stops_answering_probes()
    {
        _routing.Clusters["region-a"].Behaviour = ClusterBehaviour.Refuses;

        await _routing.ProbeForAsync(TimeSpan.FromSeconds(1));
        var callsBefore = _routing.Clusters["region-a"].Calls;
        var decidedBy = await _routing.DecidedByAsync("acc-a");

        Assert.Equal(BreakerState.Open, _routing.HealthOf("region-a").Breaker);
        Assert.Equal("region-b", decidedBy);
        Assert.Equal(callsBefore, _routing.Clusters["region-a"].Calls);
    }

    [Fact]
    public async Task Account_of_the_local_region_is_served_by_another_region_when_the_local_cluster_is_down()
    {
        _routing.Clusters["region-b"].Behaviour = ClusterBehaviour.Refuses;

        await _routing.ProbeForAsync(TimeSpan.FromSeconds(1));
        var decidedBy = await _routing.DecidedByAsync("acc-b");

        Assert.Equal("region-a", decidedBy);
    }

    [Fact]
    public async Task Unknown_account_is_served_by_the_local_cluster()
    {
        var decidedBy = await _routing.DecidedByAsync("acc-unknown");

        Assert.Equal("region-b", decidedBy);
    }

    [Fact]
    public async Task Call_that_cannot_reach_the_home_cluster_is_repeated_once_on_the_local_cluster_when_safe()
    {
        _routing.Clusters["region-a"].Behaviour = ClusterBehaviour.Refuses;

        var homeCalls = _routing.Clusters["region-a"].Calls;

        var decidedBy = await _routing.DecidedByAsync("acc-a", Requests.KeyedWrite());

        Assert.Equal("region-b", decidedBy);
        Assert.Equal(homeCalls + 1, _routing.Clusters["region-a"].Calls);
        Assert.Equal("SiloUnavailableException", _routing.HealthOf("region-a").LastFailure?.Split(':')[0]);
    }

    [Fact]
    public async Task Call_that_cannot_reach_the_home_cluster_and_is_not_safe_to_repeat_is_unavailable()
    {
        _routing.Clusters["region-a"].Behaviour = ClusterBehaviour.Refuses;
        var localCalls = _routing.Clusters["region-b"].Calls;

        await Assert.ThrowsAsync<ClusterUnavailableException>(() => _routing.DecidedByAsync("acc-a", Requests.Write(HttpMethods.Post, idempotencyKey: null)));

        Assert.Equal(localCalls, _routing.Clusters["region-b"].Calls);
    }

    [Fact]
    public async Task Call_that_hangs_past_its_deadline_on_a_cluster_whose_probes_fail_is_repeated_on_the_local_cluster()
    {
        _routing.Clusters["region-a"].Behaviour = ClusterBehaviour.Hangs;
        for (var i = 0; i < RoutingHarness.Options.FailureThreshold; i++)
        {
            _routing.HealthOf("region-a").RecordFailure("probe: TimeoutException");
        }

        var call = _routing.DecidedByAsync("acc-a");
        _routing.Time.Advance(RoutingHarness.Options.CallTimeout);
        var decidedBy = await call;

        Assert.Equal("region-b", decidedBy);
    }

    [Fact]
    public async Task Call_that_hangs_past_its_deadline_while_probes_succeed_is_a_busy_account_not_a_failover()
    {
        _routing.Clusters["region-a"].Behaviour = ClusterBehaviour.Hangs;
        var localCalls = _routing.Clusters["region-b"].Calls;

        for (var i = 0; i < RoutingHarness.Options.FailureThreshold; i++)
        {
            var call = _routing.DecidedByAsync("acc-a");
            _routing.Time.Advance(RoutingHarness.Options.CallTimeout);
            await Assert.ThrowsAsync<ClusterUnavailableException>(() => call);
        }

        Assert.Equal(localCalls, _routing.Clusters["region-b"].Calls);
        Assert.Equal(BreakerState.Closed, _routing.HealthOf("region-a").Breaker);
    }

    [Fact]
    public async Task Error_raised_by_the_grain_itself_is_neither_repeated_nor_held_against_the_cluster()
    {
        _routing.Clusters["region-a"].Behaviour = ClusterBehaviour.Faults;
        var localCalls = _routing.Clusters["region-b"].Calls;

        for (var i = 0; i < RoutingHarness.Options.FailureThreshold; i++)
        {
            await Assert.ThrowsAsync<InvalidOperationException>(() => _routing.DecidedByAsync("acc-a"));
        }

        Assert.Equal(localCalls, _routing.Clusters["region-b"].Calls);
        Assert.Equal(BreakerState.Closed, _routing.HealthOf("region-a").Breaker);
    }

    [Fact]
    public async Task Failed_real_calls_open_the_breaker_without_waiting_for_a_probe()
    {
        _routing.Clusters["region-a"].Behaviour = ClusterBehaviour.Refuses;

        for (var i = 0; i < RoutingHarness.Options.FailureThreshold; i++)
        {
            await _routing.DecidedByAsync("acc-a");
        }

        Assert.Equal(BreakerState.Open, _routing.HealthOf("region-a").Breaker);
    }

    [Fact]
    public async Task Accounts_return_home_only_after_the_recovery_period_without_a_failure()
    {
        _routing.Clusters["region-a"].Behaviour = ClusterBehaviour.Refuses;
        await _routing.ProbeForAsync(TimeSpan.FromSeconds(1));
        _routing.Clusters["region-a"].Behaviour = ClusterBehaviour.Answers;

        await _routing.ProbeForAsync(RoutingHarness.Options.RecoveryPeriod - TimeSpan.FromSeconds(1));
        var duringRecovery = await _routing.DecidedByAsync("acc-a");
        await _routing.ProbeForAsync(TimeSpan.FromSeconds(1));
        var afterRecovery = await _routing.DecidedByAsync("acc-a");

        Assert.Equal("region-b", duringRecovery);
        Assert.Equal("region-a", afterRecovery);
    }

    [Fact]
    public async Task Forced_failover_sends_a_healthy_region_s_accounts_to_another_cluster()
    {
        await _routing.Switches.SetAsync("region-a", forceFailover: true, "ops", CancellationToken.None);

        var forced = await _routing.DecidedByAsync("acc-a");
        await _routing.Switches.SetAsync("region-a", forceFailover: false, "ops", CancellationToken.None);
        var released = await _routing.DecidedByAsync("acc-a");

        Assert.Equal("region-b", forced);
        Assert.Equal("region-a", released);
    }

    [Fact]
    public async Task When_no_cluster_is_healthy_the_home_cluster_is_still_tried()
    {
        _routing.Clusters["region-a"].Behaviour = ClusterBehaviour.Refuses;
        _routing.Clusters["region-b"].Behaviour = ClusterBehaviour.Refuses;
        await _routing.ProbeForAsync(TimeSpan.FromSeconds(1));
        _routing.Clusters["region-a"].Behaviour = ClusterBehaviour.Answers;

        var decidedBy = await _routing.DecidedByAsync("acc-a");

        Assert.Equal("region-a", decidedBy);
    }

    [Fact]
    public async Task Request_is_unavailable_when_no_cluster_is_connected()
    {
        _routing.Clusters.Disconnect("region-a");
        _routing.Clusters.Disconnect("region-b");

        await Assert.ThrowsAsync<ClusterUnavailableException>(() => _routing.DecidedByAsync("acc-a"));
    }
}
