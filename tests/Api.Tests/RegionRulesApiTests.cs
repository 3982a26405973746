using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Payments.Regions;

namespace Payments.Api.Tests;

/// <summary>
/// A region's rules through the API, against the test cluster. Region-a's rules are shared by every API test, so these tests only
/// ever add a blocked category of their own; nothing another test relies on changes.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class RegionRulesApiTests(ApiFixture fixture)
{
    private readonly HttpClient _admin = fixture.Client(ApiFixture.AdminKey);

    [Fact]
    public async Task Rules_start_as_configured()
    {
        var rules = await _admin.GetRulesAsync();

        Assert.Equal("Europe/Paris", (string?)rules["timeZone"]);
        Assert.Equal(3, (int?)rules["resetHour"]);
        Assert.Equal("EUR", (string?)rules["currency"]);
        Assert.Equal(1_000_000, (long?)rules["maxPerPayment"]);
        Assert.Equal(100_000, (long?)rules["defaultLimits"]!["daily"]);
        Assert.Contains("7995", rules["blockedMccs"]!.AsArray().Select(m => (string?)m));
        Assert.True((long?)rules["version"] >= 1);
        Assert.Null(rules["calendarChange"]);
        Assert.Equal("P7D", (string?)rules["holdExpiry"]!["default"]);
        Assert.NotNull(rules["holdExpiry"]!["byMcc"]!.AsObject());
        Assert.Equal(0, (int?)rules["overCapturePercent"]);
    }

    [Fact]
    public async Task Put_with_the_version_read_replaces_the_rules_and_bumps_the_version()
    {
        var before = await _admin.GetRulesAsync();
        var mcc = RegionCalls.FreshMcc();

        var response = await _admin.PutRulesAsync(before.BlockingAlso(mcc));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var after = await response.JsonAsync();
        Assert.Equal((long)before["version"]! + 1, (long?)after["version"]);
        Assert.Contains(mcc, after["blockedMccs"]!.AsArray().Select(m => (string?)m));
        Assert.Equal(after.ToJsonString(), (await _admin.GetRulesAsync()).ToJsonString());
    }

    [Fact]
    public async Task Put_with_a_stale_version_is_a_conflict_and_changes_nothing()
    {
        var read = await _admin.GetRulesAsync();
        var first = RegionCalls.FreshMcc();
        var second = RegionCalls.FreshMcc();
        Assert.Equal(HttpStatusCode.OK, (await _admin.PutRulesAsync(read.BlockingAlso(first))).StatusCode);

        var stale = await _admin.PutRulesAsync(read.BlockingAlso(second));

        var problem = await stale.AssertProblemAsync(HttpStatusCode.Conflict, "version_conflict");
        Assert.Contains($"version {(long)read["version"]! + 1}", (string?)problem["detail"]);
        var now = await _admin.GetRulesAsync();
        Assert.Equal((long)read["version"]! + 1, (long?)now["version"]);
        Assert.DoesNotContain(second, now["blockedMccs"]!.AsArray().Select(m => (string?)m));
    }

    /// <summary>A field (dotted path) and the JSON put there; null removes it.</summary>
    public static TheoryData<string, string?> MalformedRules() => new()
    {
        { "timeZone", "\"Mars/Olympus_Mons\"" },
        { "timeZone", null },
        { "resetHour", "24" },
        { "resetHour", "-1" },
        { "currency", "\"XXZ\"" },
        { "currency", "\"eur\"" },
        { "maxPerPayment", "0" },
        { "defaultLimits.daily", "-5" },
        { "defaultLimits.monthly", null },
        { "blockedMccs", "[\"79a5\"]" },
        { "blockedMccs", "[\"79955\"]" },
        { "version", null },
        { "holdExpiry.default", null },
        { "holdExpiry.default", "\"P7\"" },
        { "holdExpiry.default", "\"P1M\"" },
        { "holdExpiry.default", "\"PT59S\"" },
        { "holdExpiry.default", "\"P31DT1S\"" },
        { "holdExpiry.byMcc", "{ \"7011\": \"P1Y\" }" },
        { "holdExpiry.byMcc", "{ \"70a1\": \"P1D\" }" },
        { "holdExpiry.byMcc", "{ \"7011\": \"P32D\" }" },
        { "overCapturePercent", "-1" },
        { "overCapturePercent", "101" },
    };

    [Theory]
    [MemberData(nameof(MalformedRules))]
    public async Task Malformed_rules_are_refused_and_change_nothing(string field, string? json)
    {
        var before = await _admin.GetRulesAsync();
        var body = before.Edited(rules => Set(rules, field, json is null ? null : JsonNode.Parse(json)));

        var response = await _admin.PutRulesAsync(body);

        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest, "validation_failed");
        Assert.NotNull(problem["errors"]![field]);
        Assert.Equal(before.ToJsonString(), (await _admin.GetRulesAsync()).ToJsonString());
    }

    [Fact]
    public async Task Unknown_region_is_not_found()
    {
        var rules = await _admin.GetRulesAsync();

        var get = await _admin.GetAsync("/v1/regions/region-z/rules");
        var put = await _admin.PutRulesAsync(rules, "/v1/regions/region-z/rules");

        await get.AssertProblemAsync(HttpStatusCode.NotFound, "unknown_region");
        await put.AssertProblemAsync(HttpStatusCode.NotFound, "unknown_region");
    }

    [Fact]
    public async Task Every_change_is_audited_with_the_api_key_name_and_both_versions()
    {
        var before = await _admin.GetRulesAsync();
        var version = (long)before["version"]!;

        var after = await (await _admin.PutRulesAsync(before.BlockingAlso(RegionCalls.FreshMcc()))).JsonAsync();

        var audit = fixture.Cluster.Silos.Single().ServiceProvider.GetRequiredService<IRegionRulesStore>();
        var row = Assert.Single(((InMemoryRegionRulesStore)audit).Audit, r => r.Action == "region_rules.updated"
            && (long?)JsonNode.Parse(r.Before!)!["version"] == version);
        Assert.Equal("dev-admin", row.Actor);
        Assert.Equal("region:region-a", row.Target);
        Assert.Equal(after.ToJsonString(), JsonNode.Parse(row.After!)!.ToJsonString());
        Assert.Equal(before["blockedMccs"]!.ToJsonString(), JsonNode.Parse(row.Before!)!["blockedMccs"]!.ToJsonString());
    }

    [Fact]
    public async Task Terminal_cannot_read_or_change_rules()
    {
        var terminal = fixture.Client(ApiFixture.TerminalKey);
        var rules = await _admin.GetRulesAsync();

        await (await terminal.GetAsync(RegionCalls.Rules)).AssertProblemAsync(HttpStatusCode.Forbidden, "forbidden");
        await (await terminal.PutRulesAsync(rules.BlockingAlso("6000"))).AssertProblemAsync(HttpStatusCode.Forbidden, "forbidden");
        Assert.Equal(rules.ToJsonString(), (await _admin.GetRulesAsync()).ToJsonString());
    }

    private static void Set(JsonObject rules, string path, JsonNode? value)
    {
        var parts = path.Split('.');
        var parent = parts.Length == 1 ? rules : rules[parts[0]]!.AsObject();
        parent[parts[^1]] = value;
    }
}
