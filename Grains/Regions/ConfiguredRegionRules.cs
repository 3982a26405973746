using System.Collections.Immutable;
using System.Globalization;
using Microsoft.Extensions.Configuration;
using Payments.Contracts;

namespace Payments.Regions;

/// <summary>
/// Region rules read once from configuration (section <c>Payments:Regions:{region}</c>): the regions this deployment
/// knows, and the rules each region's <see cref="RegionRulesGrain"/> stores on its first start. After that the stored
/// rules, changed through the admin API, are the truth. Hold rules are optional (<c>HoldExpiry:Default</c>,
/// <c>HoldExpiry:ByMcc:{mcc}</c> as ISO 8601 durations from PT1M to P31D, <c>OverCapturePercent</c> 0 to 100; the
/// defaults are seven days and 0); a value out of range stops the silo at start (the rules cache, a hosted service,
/// reads them then) with the setting's name.
/// </summary>
public sealed class ConfiguredRegionRules
{
    private readonly ImmutableDictionary<string, RegionRules> _rules;

    public ConfiguredRegionRules(IConfiguration configuration)
    {
        _rules = configuration.GetSection("Payments:Regions").GetChildren()
            .ToImmutableDictionary(section => section.Key, Read, StringComparer.Ordinal);
    }

    /// <summary>The regions this deployment knows.</summary>
    public IReadOnlyCollection<string> Regions => _rules.Keys.ToList();

    /// <summary>The configured rules of <paramref name="region"/>, or null for a region not configured.</summary>
    public RegionRules? Find(string region) => _rules.GetValueOrDefault(region);

    private static RegionRules Read(IConfigurationSection section)
    {
        var limits = section.GetSection("DefaultLimits");
        return new RegionRules(
            section["TimeZone"] ?? "UTC",
            section.GetValue("ResetHour", 3),
            section["Currency"] ?? "EUR",
            section.GetValue("MaxPerPayment", 1_000_000L),
            new LimitSet(
                limits.GetValue("PerPayment", 50_000L),
                limits.GetValue("Daily", 100_000L),
                limits.GetValue("Weekly", 300_000L),
                limits.GetValue("Monthly", 800_000L)),
            [.. section.GetSection("BlockedMccs").GetChildren().Select(c => c.Value ?? "")],
            section.GetValue("Version", 1L),
            Holds: ReadHolds(section));
    }

    private static HoldRules? ReadHolds(IConfigurationSection region)
    {
        var expiry = region.GetSection("HoldExpiry");
        var percent = region["OverCapturePercent"];
        if (!expiry.Exists() && percent is null)
        {
            return null;
        }

        var defaults = HoldRules.Default;
        return new HoldRules(
            expiry["Default"] is null ? defaults.DefaultExpiry : Period(expiry.GetSection("Default")),
            expiry.GetSection("ByMcc").GetChildren().ToImmutableDictionary(Mcc, Period, StringComparer.Ordinal),
            percent is null ? defaults.OverCapturePercent
            : int.TryParse(percent, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value <= 100 ? value
            : throw Invalid(region.GetSection("OverCapturePercent"), "an integer from 0 to 100"));
    }

    private static TimeSpan Period(IConfigurationSection setting) =>
        IsoDuration.TryParse(setting.Value, out var period) && period >= HoldRules.MinExpiry && period <= HoldRules.MaxExpiry
            ? period
            : throw Invalid(setting, "an ISO 8601 duration from PT1M to P31D");

    private static string Mcc(IConfigurationSection setting) =>
        setting.Key is { Length: 4 } mcc && mcc.All(char.IsAsciiDigit) ? mcc : throw Invalid(setting, "keyed by a four-digit merchant category code");

    private static InvalidOperationException Invalid(IConfigurationSection setting, string expected) =>
        new($"{setting.Path} = '{setting.Value}': the setting must be {expected}.");
}
