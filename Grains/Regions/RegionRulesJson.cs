using System.Text.Json;
using Payments.Contracts;

namespace Payments.Regions;

/// <summary>Region rules as JSON (camelCase, as the API shows them): the stored form and the audit's before/after.</summary>
public static class RegionRulesJson
{
    public const string SeedAction = "region_rules.seeded";
    public const string UpdateAction = "region_rules.updated";

    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web);

    public static string Write(RegionRules rules) => JsonSerializer.Serialize(rules, Options);

    /// <summary>The stored rules, with the stored <paramref name="version"/> (the column, not the JSON, is the truth).</summary>
    public static RegionRules Read(string json, long version) =>
        (JsonSerializer.Deserialize<RegionRules>(json, Options) ?? throw new InvalidDataException("Stored region rules are null.")) with
        {
            Version = version,
        };

    /// <summary>The audit target of a region's rules, <c>kind:id</c> as for every admin audit row.</summary>
    public static string Target(string region) => $"region:{region}";
}
