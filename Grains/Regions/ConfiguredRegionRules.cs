using System.Collections.Immutable;
using Microsoft.Extensions.Configuration;
using Payments.Contracts;

namespace Payments.Regions;

/// <summary>
/// Region rules read once from configuration (section <c>Payments:Regions:{region}</c>): the regions this deployment
/// knows, and the rules each region's <see cref="RegionRulesGrain"/> stores on its first start. After that the stored
/// rules, changed through the admin API, are the truth.
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
            section.GetValue("Version", 1L));
    }
}
