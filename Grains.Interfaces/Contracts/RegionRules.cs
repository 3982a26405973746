using System.Collections.Immutable;

namespace Payments.Contracts;

/// <summary>What a region decides for all its accounts: calendar, currency and default ceilings.</summary>
[GenerateSerializer, Immutable, Alias("payments.RegionRules")]
public sealed record RegionRules(
    [property: Id(0)] string TimeZone,
    [property: Id(1)] int ResetHour,
    [property: Id(2)] string Currency,
    [property: Id(3)] long MaxPerPayment,
    [property: Id(4)] LimitSet DefaultLimits,
    [property: Id(5)] ImmutableArray<string> BlockedMccs,
    [property: Id(6)] long Version,
    [property: Id(7)] CalendarChange? CalendarChange = null)
{
    /// <summary>The account's effective ceilings: its own where set, the region's otherwise.</summary>
    public LimitSet Effective(AccountLimits own) => new(
        own.PerPayment ?? DefaultLimits.PerPayment,
        own.Daily ?? DefaultLimits.Daily,
        own.Weekly ?? DefaultLimits.Weekly,
        own.Monthly ?? DefaultLimits.Monthly);
}

/// <summary>
/// The last change of time zone or reset hour: the previous calendar stays in force until <see cref="EffectiveAt"/>,
/// the end of the business day in which the change was made; the rules' own zone and hour apply from then on.
/// </summary>
[GenerateSerializer, Immutable, Alias("payments.CalendarChange")]
public sealed record CalendarChange(
    [property: Id(0)] string PreviousTimeZone,
    [property: Id(1)] int PreviousResetHour,
    [property: Id(2)] DateTimeOffset EffectiveAt);
