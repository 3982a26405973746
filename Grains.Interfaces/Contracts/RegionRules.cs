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
    /// <summary>The rules as JSON has them (the rules API, the stored form): the hold rules as their two fields.</summary>
    [JsonConstructor]
    public RegionRules(
        string timeZone, int resetHour, string currency, long maxPerPayment, LimitSet defaultLimits, ImmutableArray<string> blockedMccs,
        long version, CalendarChange? calendarChange, HoldExpiry? holdExpiry, int overCapturePercent)
        : this(timeZone, resetHour, currency, maxPerPayment, defaultLimits, blockedMccs, version, calendarChange,
            holdExpiry is null && overCapturePercent == 0 ? null : HoldRules.Default.With(holdExpiry, overCapturePercent))
    {
    }

    /// <summary>How long an authorization holds money, per merchant category (JSON <c>holdExpiry</c>).</summary>
    public HoldExpiry HoldExpiry => HoldRulesInForce().Expiry();

    /// <summary>How far, in percent of what was authorized, captures may exceed it (JSON <c>overCapturePercent</c>).</summary>
    public int OverCapturePercent => HoldRulesInForce().OverCapturePercent;

    /// <summary>The region's rules for authorizations, the defaults (seven days, no over-capture) when it set none.</summary>
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

    /// <summary>The shortest and the longest hold period a region may set.</summary>
    public static readonly TimeSpan MinExpiry = TimeSpan.FromMinutes(1), MaxExpiry = TimeSpan.FromDays(31);

    public TimeSpan ExpiryFor(string mcc) => ExpiryByMcc.TryGetValue(mcc, out var period) ? period : DefaultExpiry;

    /// <summary>The hold periods as ISO 8601 durations, categories in order.</summary>
    public HoldExpiry Expiry() => new(
        IsoDuration.Format(DefaultExpiry),
        ExpiryByMcc.ToImmutableSortedDictionary(p => p.Key, p => IsoDuration.Format(p.Value), StringComparer.Ordinal));

    /// <summary>
    /// These rules with the parts given replaced; throws <see cref="FormatException"/> on a duration that is not ISO 8601
    /// (the API checks them first with <see cref="IsoDuration.TryParse"/>).
    /// </summary>
    public HoldRules With(HoldExpiry? expiry, int? overCapturePercent) => new(
        expiry is null ? DefaultExpiry : IsoDuration.Parse(expiry.Default),
        expiry is null ? ExpiryByMcc : expiry.ByMcc.ToImmutableDictionary(p => p.Key, p => IsoDuration.Parse(p.Value), StringComparer.Ordinal),
        overCapturePercent ?? OverCapturePercent);
}

/// <summary>
/// The hold periods as the rules API shows and takes them: <c>{ "default": "P7D", "byMcc": { "7011": "P31D" } }</c>,
/// ISO 8601 durations (PT1M to P31D).
/// </summary>
public sealed record HoldExpiry(string Default, ImmutableSortedDictionary<string, string> ByMcc);
