using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Payments.Contracts;
using Payments.Grains.Tests.Cluster;
using Payments.Regions;

namespace Payments.Grains.Tests.Regions;

/// <summary>The rules grain on the test cluster: seeding, versions, validation, audit, and the silo's cache.</summary>
[Collection(ClusterCollection.Name)]
public sealed class RegionRulesGrainTests(ClusterFixture cluster) : IClassFixture<ClusterFixture>
{
    private const string Region = "rules-test";

    private IRegionRulesGrain Rules => cluster.Client.GetGrain<IRegionRulesGrain>(Region);

    private InMemoryRegionRulesStore Store => (InMemoryRegionRulesStore)cluster.SiloServices.GetRequiredService<IRegionRulesStore>();

    [Fact]
    public async Task Rules_are_seeded_from_configuration_once_and_the_seed_is_audited()
    {
        var rules = await Rules.GetRulesAsync();

        Assert.NotNull(rules);
        var seed = Assert.Single(Store.Audit, row => row.Action == "region_rules.seeded" && row.Target == $"region:{Region}");
        Assert.Equal(RegionRulesGrain.SeedActor, seed.Actor);
        Assert.Null(seed.Before);
        var seeded = RegionRulesJson.Read(seed.After!, 1);
        Assert.Equal(("Europe/Paris", 3, "EUR", 1_000_000L), (seeded.TimeZone, seeded.ResetHour, seeded.Currency, seeded.MaxPerPayment));
        Assert.Equal(["7995"], seeded.BlockedMccs.ToArray());
        Assert.Equal(1, (long?)JsonNode.Parse(seed.After!)!["version"]);
    }

    [Fact]
    public async Task Update_with_a_stale_version_is_a_conflict_and_writes_nothing()
    {
        var read = (await Rules.GetRulesAsync())!;
        var updates = Store.Audit.Count(row => row.Action == "region_rules.updated");

        var first = await Rules.UpdateRulesAsync(new RulesUpdate(read with { MaxPerPayment = 900_000 }, "ops-1"));
        var stale = await Rules.UpdateRulesAsync(new RulesUpdate(read with { MaxPerPayment = 800_000 }, "ops-2"));

        Assert.Equal(RulesUpdateOutcome.Updated, first.Outcome);
        Assert.Equal((read.Version + 1, 900_000L), (first.Rules!.Version, first.Rules.MaxPerPayment));
        Assert.Equal(RulesUpdateOutcome.VersionConflict, stale.Outcome);
        AssertSame(first.Rules, stale.Rules);
        AssertSame(first.Rules, await Store.FindAsync(Region, CancellationToken.None));
        Assert.Equal(updates + 1, Store.Audit.Count(row => row.Action == "region_rules.updated"));
        Assert.Equal("ops-1", Store.Audit.Last(row => row.Action == "region_rules.updated").Actor);
    }

    [Fact]
    public async Task Invalid_rules_are_refused_with_field_errors_and_write_nothing()
    {
        var read = (await Rules.GetRulesAsync())!;

        var result = await Rules.UpdateRulesAsync(new RulesUpdate(
            read with { TimeZone = "Europe/Atlantis", DefaultLimits = read.DefaultLimits with { Weekly = 0 }, BlockedMccs = ["12"] }, "ops"));

        Assert.Equal(RulesUpdateOutcome.Invalid, result.Outcome);
        Assert.Equal(["blockedMccs", "defaultLimits", "timeZone"], result.Errors!.Fields.Keys.Order());
        AssertSame(read, await Rules.GetRulesAsync());
    }

    [Fact]
    public async Task Region_that_is_not_configured_has_no_rules()
    {
        var nowhere = cluster.Client.GetGrain<IRegionRulesGrain>("nowhere");

        var rules = await nowhere.GetRulesAsync();
        var update = await nowhere.UpdateRulesAsync(new RulesUpdate(Support.TestRules.Paris(), "ops"));

        Assert.Null(rules);
        Assert.Equal(RulesUpdateOutcome.UnknownRegion, update.Outcome);
        Assert.Null(await Store.FindAsync("nowhere", CancellationToken.None));
    }

    [Fact]
    public async Task Every_silo_holds_every_region_rules()
    {
        var provider = cluster.SiloServices.GetRequiredService<IRegionRulesProvider>();

        await provider.Ready;

        Assert.All(ClusterFixture.RulesTestRegions.Append("region-a"), region => Assert.NotNull(provider.Find(region)));
    }

    [Fact]
    public async Task Change_through_the_grain_is_in_force_on_the_silo_within_five_seconds()
    {
        var read = (await Rules.GetRulesAsync())!;

        var changed = (await Rules.UpdateRulesAsync(new RulesUpdate(read with { BlockedMccs = [.. read.BlockedMccs, "6051"] }, "ops"))).Rules!;

        var inForce = await RulesInForce.WaitForAsync(cluster, Region, changed.Version);
        AssertSame(changed, inForce);
    }

    // Records holding an ImmutableArray compare it by reference; the JSON form compares the values.
    private static void AssertSame(RegionRules expected, RegionRules? actual) =>
        Assert.Equal(RegionRulesJson.Write(expected), actual is null ? null : RegionRulesJson.Write(actual));
}
