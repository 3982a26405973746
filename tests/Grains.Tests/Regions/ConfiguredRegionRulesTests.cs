using Microsoft.Extensions.Configuration;
using Payments.Contracts;
using Payments.Regions;

namespace Payments.Grains.Tests.Regions;

/// <summary>The region rules seeded from configuration, hold rules included, and the settings refused at start.</summary>
public sealed class ConfiguredRegionRulesTests
{
    private const string Region = "Payments:Regions:region-a:";

    [Fact]
    public void Hold_rules_are_seeded_from_configuration_and_kept_through_the_stored_form()
    {
        var rules = Rules(new()
        {
            [Region + "HoldExpiry:Default"] = "P5D",
            [Region + "HoldExpiry:ByMcc:7011"] = "P31D",
            [Region + "HoldExpiry:ByMcc:5542"] = "PT2H",
            [Region + "OverCapturePercent"] = "15",
        }).Find("region-a")!;

        var stored = RegionRulesJson.Read(RegionRulesJson.Write(rules), rules.Version);

        foreach (var seeded in new[] { rules, stored })
        {
            var holds = seeded.HoldRulesInForce();
            Assert.Equal((TimeSpan.FromDays(5), TimeSpan.FromDays(31), TimeSpan.FromHours(2), 15),
                (holds.ExpiryFor("5411"), holds.ExpiryFor("7011"), holds.ExpiryFor("5542"), holds.OverCapturePercent));
        }
    }

    [Fact]
    public void Without_hold_settings_a_region_has_the_default_hold_rules()
    {
        var rules = Rules(new() { [Region + "TimeZone"] = "Europe/Paris" }).Find("region-a")!;

        Assert.Null(rules.Holds);
        Assert.Equal(HoldRules.Default, rules.HoldRulesInForce());
    }

    [Fact]
    public void Only_the_over_capture_tolerance_keeps_the_default_hold_periods()
    {
        var holds = Rules(new() { [Region + "OverCapturePercent"] = "20" }).Find("region-a")!.HoldRulesInForce();

        Assert.Equal((TimeSpan.FromDays(7), 20), (holds.ExpiryFor("7011"), holds.OverCapturePercent));
    }

    [Theory]
    [InlineData("HoldExpiry:Default", "P32D")]
    [InlineData("HoldExpiry:Default", "PT30S")]
    [InlineData("HoldExpiry:Default", "7 days")]
    [InlineData("HoldExpiry:ByMcc:7011", "P0D")]
    [InlineData("HoldExpiry:ByMcc:hotel", "P7D")]
    [InlineData("OverCapturePercent", "101")]
    [InlineData("OverCapturePercent", "-1")]
    [InlineData("OverCapturePercent", "ten")]
    public void A_hold_setting_out_of_range_is_refused_with_its_name(string setting, string value)
    {
        var refused = Assert.Throws<InvalidOperationException>(() => Rules(new() { [Region + setting] = value }));

        Assert.Contains(Region + setting, refused.Message, StringComparison.Ordinal);
    }

    private static ConfiguredRegionRules Rules(Dictionary<string, string?> settings) =>
        new(new ConfigurationBuilder().AddInMemoryCollection(settings).Build());
}
