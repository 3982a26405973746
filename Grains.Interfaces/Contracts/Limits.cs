using System.Text.Json.Serialization;

namespace Payments.Contracts;

/// <summary>An account's own ceilings in minor units; a null field falls back to the region's default.</summary>
[GenerateSerializer, Immutable, Alias("payments.AccountLimits")]
public sealed record AccountLimits(
    [property: Id(0), JsonPropertyName("perPayment")] long? PerPayment,
    [property: Id(1), JsonPropertyName("daily")] long? Daily,
    [property: Id(2), JsonPropertyName("weekly")] long? Weekly,
    [property: Id(3), JsonPropertyName("monthly")] long? Monthly)
{
    public static readonly AccountLimits None = new(null, null, null, null);

    /// <summary>Overlays the fields that <paramref name="change"/> sets.</summary>
    public AccountLimits With(AccountLimits change) => new(
        change.PerPayment ?? PerPayment,
        change.Daily ?? Daily,
        change.Weekly ?? Weekly,
        change.Monthly ?? Monthly);
}

/// <summary>A complete set of ceilings in minor units.</summary>
[GenerateSerializer, Immutable, Alias("payments.LimitSet")]
public sealed record LimitSet(
    [property: Id(0)] long PerPayment,
    [property: Id(1)] long Daily,
    [property: Id(2)] long Weekly,
    [property: Id(3)] long Monthly);
