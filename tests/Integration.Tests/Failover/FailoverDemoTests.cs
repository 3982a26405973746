using Payments.Integration.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Payments.Integration.Tests.Failover;

/// <summary>
/// The failover demo, <c>scripts/failover-demo.sh</c>, run whole, so that CI runs it: both regions' silos and APIs,
/// the replicated store, the front door's two nodes and plain-client terminals; region-a cut off with its database
/// node, etcd member and Redis (as root: its network namespace's link down), reconnected, then the front door instance
/// holding region-a's address SIGKILLed. Once with the database primary in region-a (region-b's standby is promoted)
/// and once in region-b. The script's own ledger checks must pass (exit 0), and the figures it prints must show RPO 0,
/// no double debit, region-a's clients approved by region-b during the cut, region-a deciding its accounts again after
/// the reconnection and a return without flapping. Its RTOs are recorded (docs/failover.md), never asserted on time.
/// </summary>
[Collection(RealServersCollection.Name)]
public sealed class FailoverDemoTests(RealServers servers, ITestOutputHelper output)
{
    [Theory]
    [InlineData("region-a")]
    [InlineData("region-b")]
    public async Task The_failover_demo_passes_through_the_front_door_with_the_database_primary_in(string primaryRegion)
    {
        var primary = servers.Topology.Members("postgres", primaryRegion).Single();

        var demo = await FailoverDemo.RunAsync(servers.RepositoryRoot, primary, output);

        new Measurements(output, servers).Record($"failover demo, primary {primary} at the cut (scripts/failover-demo.sh)",
            $"exit {demo.ExitCode}; {string.Join(' ', demo.Figures.Select(f => $"{f.Key}={f.Value}"))}; " +
            $"{Environment.ProcessorCount} cores, shared machine");
        Assert.True(demo.ExitCode == 0, $"the demo exited with {demo.ExitCode} (logs: {demo.LogDirectory}):\n{demo.Tail}");
        Assert.True(demo.Figures.Count > 0, $"the demo printed no figures:\n{demo.Tail}");
        Assert.Equal(0, demo.Count("approved_missing"));
        Assert.Equal(0, demo.Count("keys_twice"));
        Assert.Equal(0, demo.Count("seq_gaps"));
        Assert.Equal(0, demo.Count("chain_breaks"));
        Assert.Equal(0, demo.Count("negative_balances"));
        Assert.True(demo.Count("approved") > 0, "no payment was approved");
        Assert.NotNull(demo.Seconds("rto_seconds"));
        Assert.NotNull(demo.Seconds("return_seconds"));

        // Out once and back once: the instance that lived to the end marked region-a's API down and up again, the one
        // killed (after the return) at most that; neither went back and forth.
        var killed = demo.Count("front_door_killed");
        Assert.Contains(killed, new long[] { 1, 2 });
        Assert.Equal(["DOWN", "UP"], demo.FrontDoorMarks(3 - killed));
        Assert.Contains(string.Join(',', demo.FrontDoorMarks(killed)), new[] { "DOWN", "DOWN,UP" });
    }
}
