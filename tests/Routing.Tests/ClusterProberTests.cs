using Payments.Api.Routing;
using Payments.Routing.Tests.Fakes;

namespace Payments.Routing.Tests;

public sealed class ClusterProberTests : IDisposable
{
    private readonly RoutingHarness _routing = new();

    public void Dispose() => _routing.Dispose();

    [Fact]
    public async Task Answered_probe_closes_the_breaker_and_records_when_it_answered()
    {
        await _routing.Prober.ProbeAsync(_routing.HealthOf("region-a"));

        var health = _routing.HealthOf("region-a");
        Assert.Equal(BreakerState.Closed, health.Breaker);
        Assert.Equal(_routing.Time.GetUtcNow(), health.LastProbeAt);
        Assert.NotNull(health.LastProbeLatency);
    }

    [Fact]
    public async Task Cluster_not_connected_yet_fails_its_probes()
    {
        _routing.Clusters.Disconnect("region-a");

        await _routing.ProbeForAsync(TimeSpan.FromSeconds(1));

        Assert.Equal(BreakerState.Open, _routing.HealthOf("region-a").Breaker);
        Assert.Equal("not connected", _routing.HealthOf("region-a").LastFailure);
    }

    [Fact]
    public async Task Probe_answered_by_a_silo_of_another_region_is_a_failure()
    {
        _routing.Clusters["region-a"].AnsweredBy = "region-b";

        await _routing.Prober.ProbeAsync(_routing.HealthOf("region-a"));

        Assert.Equal(BreakerState.Open, _routing.HealthOf("region-a").Breaker);
        Assert.Contains("region-b", _routing.HealthOf("region-a").LastFailure);
    }

    [Fact]
    public async Task Probe_that_hangs_fails_at_its_deadline()
    {
        await _routing.ProbeAllAsync();
        _routing.Clusters["region-a"].Behaviour = ClusterBehaviour.Hangs;

        var probes = new List<Task>();
        for (var tick = 0; tick < 3; tick++)
        {
            probes.Add(_routing.Prober.ProbeAsync(_routing.HealthOf("region-a")));
            _routing.Time.Advance(RoutingHarness.Options.ProbeTimeout);
        }

        await Task.WhenAll(probes);
        Assert.Equal(BreakerState.Open, _routing.HealthOf("region-a").Breaker);
        Assert.StartsWith("TimeoutException", _routing.HealthOf("region-a").LastFailure);
    }
}
