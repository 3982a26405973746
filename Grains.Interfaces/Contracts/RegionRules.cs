using System.Collections.Immutable;
using System.Text.Json.Serialization;

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
    [property: Id(7)] CalendarChange? CalendarChange = null,
    [property: Id(8), JsonIgnore] HoldRules? Holds = null)
{
    /// <summary>
    /// The region's rules for authorizations, the defaults when it set none. Not yet part of the rules API (nor of its
    /// JSON): every region holds for seven days with no over-capture until it is.
    /// </summary>
    public HoldRules HoldRulesInForce() => Holds ?? HoldRules.Default;

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

/// <summary>How long an authorization holds money, per merchant category, and how far captures may exceed it.</summary>
[GenerateSerializer, Immutable, Alias("payments.HoldRules")]
public sealed record HoldRules(
    [property: Id(0)] TimeSpan DefaultExpiry,
    [property: Id(1)] ImmutableDictionary<string, TimeSpan> ExpiryByMcc,
    [property: Id(2)] int OverCapturePercent)
{
    /// <summary>Seven days for every category, no over-capture.</summary>
    public static readonly HoldRules Default = new(TimeSpan.FromDays(7), ImmutableDictionary<string, TimeSpan>.Empty, 0);

    public TimeSpan ExpiryFor(string mcc) => ExpiryByMcc.TryGetValue(mcc, out var period) ? period : DefaultExpiry;
}
