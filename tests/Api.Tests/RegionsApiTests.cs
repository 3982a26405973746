using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Payments.Api.Auditing;

namespace Payments.Api.Tests;

[Collection(ApiCollection.Name)]
public sealed class RegionsApiTests(ApiFixture fixture)
{
    [Fact]
    public async Task Regions_list_shows_the_local_cluster_serving_its_own_accounts()
    {
        var admin = fixture.Client(ApiFixture.AdminKey);

        var region = await WaitForRegionAsync(admin, r => (string?)r["breaker"] == "closed");

        Assert.True((bool)region["local"]!);
        Assert.True((bool)region["connected"]!);
        Assert.Equal("region-a", (string?)region["servedBy"]);
        Assert.False((bool)region["servedByFailover"]!);
        Assert.NotNull((double?)region["lastProbeLatencyMs"]);
    }

    [Fact]
    public async Task Terminal_cannot_read_the_regions()
    {
        var response = await fixture.Client(ApiFixture.TerminalKey).GetAsync("/v1/regions");

        await response.AssertProblemAsync(HttpStatusCode.Forbidden, "forbidden");
    }

    [Fact]
    public async Task Forcing_the_failover_of_an_unknown_region_is_not_found()
    {
        var response = await fixture.Client(ApiFixture.AdminKey).PutAsJsonAsync("/v1/regions/region-z/routing", new { forceFailover = true });

        await response.AssertProblemAsync(HttpStatusCode.NotFound, "unknown_region");
    }

    [Fact]
    public async Task Routing_change_without_force_failover_is_invalid()
    {
        var response = await fixture.Client(ApiFixture.AdminKey).PutAsJsonAsync("/v1/regions/region-a/routing", new { });

        await response.AssertProblemAsync(HttpStatusCode.BadRequest, "validation_failed");
    }

    [Fact]
    public async Task Forced_failover_is_shown_with_who_set_it_and_when_then_released_and_audited()
    {
        var admin = fixture.Client(ApiFixture.AdminKey);
        var audit = fixture.Factory.Services.GetRequiredService<InMemoryAdminAudit>();
        var audited = audit.Entries.Count(entry => entry.Action == AdminActions.RegionRoutingUpdated);
        var before = DateTimeOffset.UtcNow;

        JsonObject? forced, listed, released;
        try
        {
            forced = await (await admin.PutAsJsonAsync("/v1/regions/region-a/routing", new { forceFailover = true })).Content.ReadFromJsonAsync<JsonObject>();
            listed = await WaitForRegionAsync(admin, _ => true);
        }
        finally
        {
            // The other tests of the collection need region-a's cluster.
            released = await (await admin.PutAsJsonAsync("/v1/regions/region-a/routing", new { forceFailover = false })).Content.ReadFromJsonAsync<JsonObject>();
        }

        Assert.Equal((true, false, "dev-admin"), ((bool)forced!["forcedFailover"]!, (bool)forced["takesTraffic"]!, (string?)forced["routingSetBy"]));
        Assert.InRange(DateTimeOffset.Parse((string)forced["routingSetAt"]!, System.Globalization.CultureInfo.InvariantCulture), before, DateTimeOffset.UtcNow);
        Assert.Equal(forced["routingSetAt"]!.ToJsonString(), listed["routingSetAt"]!.ToJsonString());
        Assert.True((bool)listed["forcedFailover"]!);
        Assert.False((bool)released!["forcedFailover"]!);
        Assert.Equal("dev-admin", (string?)released["routingSetBy"]);
        Assert.Equal(audited + 2, audit.Entries.Count(entry => entry.Action == AdminActions.RegionRoutingUpdated && entry.Target == "region:region-a"));
    }

    // The prober reaches the test cluster within a few of its 250 ms ticks; poll rather than time it.
    private static async Task<JsonObject> WaitForRegionAsync(HttpClient admin, Func<JsonObject, bool> condition)
    {
        JsonObject region = new();
        for (var attempt = 0; attempt < 100; attempt++)
        {
            var list = await admin.GetFromJsonAsync<JsonObject>("/v1/regions");
            region = list!["items"]!.AsArray().Single(r => (string?)r!["region"] == "region-a")!.AsObject();
            if (condition(region))
            {
                break;
            }

            await Task.Delay(100);
        }

        return region;
    }
}
