using Payments.Api.Auditing;
using Payments.Api.Routing;
using Payments.Routing.Tests.Fakes;

namespace Payments.Routing.Tests;

/// <summary>The operator's routing switch: stored, shared by every API replica at its next refresh, audited, and shown.</summary>
public sealed class RoutingSwitchTests : IAsyncLifetime, IDisposable
{
    private readonly RoutingHarness _replica;
    private readonly RoutingHarness _otherReplica;

    public RoutingSwitchTests()
    {
        _replica = new RoutingHarness(local: "region-b");
        _otherReplica = new RoutingHarness(local: "region-b", switches: _replica.SwitchStore);
    }

    public async Task InitializeAsync()
    {
        foreach (var routing in new[] { _replica, _otherReplica })
        {
            routing.Accounts.Add("acc-a", "region-a");
            await routing.ProbeAllAsync();
        }
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task Switch_set_on_one_replica_steers_another_at_its_next_refresh()
    {
        await _replica.Switches.SetAsync("region-a", forceFailover: true, "ops-alice", CancellationToken.None);

        var otherBeforeRefresh = await _otherReplica.DecidedByAsync("acc-a");
        await _otherReplica.Switches.RefreshNowAsync(CancellationToken.None);
        var otherAfterRefresh = await _otherReplica.DecidedByAsync("acc-a");

        Assert.Equal("region-b", await _replica.DecidedByAsync("acc-a"));
        Assert.Equal("region-a", otherBeforeRefresh);
        Assert.Equal("region-b", otherAfterRefresh);
    }

    [Fact]
    public async Task Released_switch_returns_the_accounts_on_every_replica()
    {
        await _replica.Switches.SetAsync("region-a", forceFailover: true, "ops-alice", CancellationToken.None);
        await _otherReplica.Switches.RefreshNowAsync(CancellationToken.None);

        await _otherReplica.Switches.SetAsync("region-a", forceFailover: false, "ops-bob", CancellationToken.None);
        await _replica.Switches.RefreshNowAsync(CancellationToken.None);

        Assert.Equal("region-a", await _replica.DecidedByAsync("acc-a"));
        Assert.Equal("region-a", await _otherReplica.DecidedByAsync("acc-a"));
    }

    [Fact]
    public async Task Region_view_says_who_set_the_switch_and_when()
    {
        var before = _replica.Report.Describe("region-a")!;
        _replica.Time.Advance(TimeSpan.FromMinutes(3));

        await _replica.Switches.SetAsync("region-a", forceFailover: true, "ops-alice", CancellationToken.None);
        await _otherReplica.Switches.RefreshNowAsync(CancellationToken.None);

        Assert.Equal((false, null, null), (before.ForcedFailover, before.RoutingSetBy, before.RoutingSetAt));
        foreach (var view in new[] { _replica.Report.Describe("region-a")!, _otherReplica.Report.Describe("region-a")! })
        {
            Assert.Equal((true, false, "ops-alice", _replica.Time.GetUtcNow()), (view.ForcedFailover, view.TakesTraffic, view.RoutingSetBy, view.RoutingSetAt));
            Assert.Equal("region-b", view.ServedBy);
        }
    }

    [Fact]
    public async Task Every_change_is_audited_with_the_switch_before_and_after()
    {
        await _replica.Switches.SetAsync("region-a", forceFailover: true, "ops-alice", CancellationToken.None);
        await _replica.Switches.SetAsync("region-a", forceFailover: false, "ops-bob", CancellationToken.None);

        var entries = _replica.Audit.Entries;

        Assert.Equal(2, entries.Count);
        Assert.All(entries, entry => Assert.Equal((AdminActions.RegionRoutingUpdated, "region:region-a"), (entry.Action, entry.Target)));
        Assert.Equal(("ops-alice", null), (entries[0].Actor, entries[0].Before));
        Assert.True(((RoutingSwitch)entries[0].After!).ForceFailover);
        Assert.Equal("ops-bob", entries[1].Actor);
        Assert.Equal(entries[0].After, entries[1].Before);
        Assert.False(((RoutingSwitch)entries[1].After!).ForceFailover);
    }

    public void Dispose()
    {
        _replica.Dispose();
        _otherReplica.Dispose();
    }
}
