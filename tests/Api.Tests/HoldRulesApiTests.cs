using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Payments.Regions;

namespace Payments.Api.Tests;

/// <summary>
/// The hold rules of a region (<c>holdExpiry</c>, <c>overCapturePercent</c>) through the rules API: stored, kept when a
/// body leaves them out, and applied to the authorizations made after the change only. Region-a's rules are shared by
/// every API test: hold periods are set for merchant categories of their own, and the over-capture tolerance is put
/// back to 0, and seen back in force, before the test ends.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class HoldRulesApiTests(ApiFixture fixture)
{
    private static readonly TimeSpan InForceWithin = TimeSpan.FromSeconds(10);
    private readonly HttpClient _admin = fixture.Client(ApiFixture.AdminKey);
    private readonly HttpClient _terminal = fixture.Client(ApiFixture.TerminalKey);

    [Fact]
    public async Task Hold_period_of_a_category_is_stored_and_applies_to_authorizations_made_after_it()
    {
        var mcc = RegionCalls.FreshMcc();
        var accountId = await _admin.CreateAccountAsync();
        var before = await AuthorizeAsync(accountId, mcc);
        var rules = await _admin.GetRulesAsync();

        var response = await _admin.PutRulesAsync(rules.Edited(r => r["holdExpiry"]!["byMcc"]![mcc] = "P2DT12H"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var answered = await response.JsonAsync();
        Assert.Equal("P2DT12H", (string?)answered["holdExpiry"]!["byMcc"]![mcc]);
        Assert.Equal(answered.ToJsonString(), (await _admin.GetRulesAsync()).ToJsonString());
        var stored = await Store().FindAsync("region-a", CancellationToken.None);
        Assert.Equal(TimeSpan.FromHours(60), stored!.HoldRulesInForce().ExpiryFor(mcc));
        Assert.Equal(answered.ToJsonString(), JsonNode.Parse(RegionRulesJson.Write(RegionRulesJson.Read(RegionRulesJson.Write(stored), stored.Version)))!.ToJsonString());
        var after = await WaitAsync(() => AuthorizeAsync(accountId, mcc), period => period == TimeSpan.FromHours(60));
        Assert.Equal(TimeSpan.FromHours(60), after);
        Assert.Equal(TimeSpan.FromDays(7), before);
        Assert.Equal(TimeSpan.FromDays(7), await HoldPeriodAsync(accountId, "7011", key: null));
    }

    [Fact]
    public async Task Rules_put_without_hold_fields_keeps_the_hold_rules_in_force()
    {
        var mcc = RegionCalls.FreshMcc();
        var rules = await _admin.GetRulesAsync();
        var set = await (await _admin.PutRulesAsync(rules.Edited(r => r["holdExpiry"]!["byMcc"]![mcc] = "P3D"))).JsonAsync();

        var response = await _admin.PutRulesAsync(set.Edited(r =>
        {
            r.Remove("holdExpiry");
            r.Remove("overCapturePercent");
            r["blockedMccs"]!.AsArray().Add(RegionCalls.FreshMcc());
        }));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var kept = await response.JsonAsync();
        Assert.Equal(set["holdExpiry"]!.ToJsonString(), kept["holdExpiry"]!.ToJsonString());
        Assert.Equal((int)set["overCapturePercent"]!, (int?)kept["overCapturePercent"]);
    }

    [Fact]
    public async Task Over_capture_tolerance_applies_to_authorizations_made_after_it()
    {
        var accountId = await _admin.CreateAccountAsync(initialBalance: 10_000_000,
            limits: new { perPayment = 50_000, daily = 10_000_000, weekly = 10_000_000, monthly = 10_000_000 });
        var earlier = await _terminal.AuthorizedAsync(accountId, 1_000);
        bool tolerated;
        try
        {
            Assert.Equal(HttpStatusCode.OK, (await SetOverCaptureAsync(10)).StatusCode);
            tolerated = await WaitAsync(() => CapturesAsync(accountId, 1_100), captured => captured);
            var earlierCapture = await _terminal.CaptureAsync(accountId, earlier, new { amount = 1_001 });
            await earlierCapture.AssertProblemAsync(HttpStatusCode.UnprocessableEntity, "capture_exceeds_authorization");
            Assert.False(await CapturesAsync(accountId, 1_101));
        }
        finally
        {
            // Back to no tolerance, seen in force, so that no other test meets this one's rules.
            Assert.Equal(HttpStatusCode.OK, (await SetOverCaptureAsync(0)).StatusCode);
            Assert.False(await WaitAsync(() => CapturesAsync(accountId, 1_001), captured => !captured));
        }

        Assert.True(tolerated);
    }

    private async Task<HttpResponseMessage> SetOverCaptureAsync(int percent) =>
        await _admin.PutRulesAsync((await _admin.GetRulesAsync()).Edited(r => r["overCapturePercent"] = percent));

    /// <summary>Whether a new authorization of 1000 takes a capture of <paramref name="amount"/>; one that does not is reversed.</summary>
    private async Task<bool> CapturesAsync(string accountId, long amount)
    {
        var authorizationId = await _terminal.AuthorizedAsync(accountId, 1_000);
        var response = await _terminal.CaptureAsync(accountId, authorizationId, new { amount });
        if (response.StatusCode != HttpStatusCode.Created)
        {
            Assert.Equal(HttpStatusCode.Created, (await _terminal.ReverseAsync(accountId, authorizationId, new { })).StatusCode);
        }

        return response.StatusCode == HttpStatusCode.Created;
    }

    private Task<TimeSpan> AuthorizeAsync(string accountId, string mcc) => HoldPeriodAsync(accountId, mcc, key: null);

    /// <summary>The hold period of a new authorization in <paramref name="mcc"/>: its expiresAt − createdAt.</summary>
    private async Task<TimeSpan> HoldPeriodAsync(string accountId, string mcc, string? key)
    {
        var response = await _terminal.AuthorizeAsync(accountId, 100, key: key, mcc: mcc);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var authorization = await response.JsonAsync();
        return DateTimeOffset.Parse((string)authorization["expiresAt"]!, CultureInfo.InvariantCulture)
            - DateTimeOffset.Parse((string)authorization["createdAt"]!, CultureInfo.InvariantCulture);
    }

    // A rules change reaches the accounts within seconds (the contract says 5): probe until it does, then stop.
    private static async Task<T> WaitAsync<T>(Func<Task<T>> probe, Func<T, bool> done)
    {
        var until = DateTimeOffset.UtcNow + InForceWithin;
        T value;
        while (!done(value = await probe()) && DateTimeOffset.UtcNow < until)
        {
            await Task.Delay(50);
        }

        return value;
    }

    private IRegionRulesStore Store() => fixture.Cluster.Silos.Single().ServiceProvider.GetRequiredService<IRegionRulesStore>();
}
