using System.Collections.Immutable;
using System.Text.Json;
using Payments.Contracts;

namespace Payments.Api.Apis;

/// <summary>
/// <c>PUT /v1/regions/{region}/rules</c>: the whole rules and the version they were read at. <c>calendarChange</c> is
/// accepted so that the document read can be sent back as it is, and ignored: the server works it out.
/// <c>holdExpiry</c> and <c>overCapturePercent</c> may be left out: each then keeps the value in force, so that a
/// client written before they existed does not reset them.
/// </summary>
public sealed record RegionRulesBody(
    string? TimeZone, int? ResetHour, string? Currency, long? MaxPerPayment, LimitsBody? DefaultLimits,
    string[]? BlockedMccs, long? Version, JsonElement? CalendarChange, HoldExpiry? HoldExpiry, int? OverCapturePercent)
{
    /// <summary>True when the hold rules in force are needed to fill in what the body left out.</summary>
    public bool KeepsSomeHoldRules => HoldExpiry is null || OverCapturePercent is null;

    /// <summary>The proposed rules; the hold rules are <paramref name="holdsInForce"/> with what the body gives.</summary>
    public RegionRules ToRules(HoldRules holdsInForce) => new(
        TimeZone!, ResetHour!.Value, Currency!, MaxPerPayment!.Value,
        new LimitSet(DefaultLimits!.PerPayment!.Value, DefaultLimits.Daily!.Value, DefaultLimits.Weekly!.Value, DefaultLimits.Monthly!.Value),
        [.. BlockedMccs!], Version!.Value, null,
        holdsInForce.With(HoldExpiry is null ? null : HoldExpiry with { ByMcc = HoldExpiry.ByMcc ?? ImmutableSortedDictionary<string, string>.Empty }, OverCapturePercent));
}

/// <summary>A page of one region's settlement of one business day; <c>run</c> is null until the day is settled.</summary>
public sealed record SettlementListResponse(
    string Region, DateOnly BusinessDate, SettlementRun? Run, IReadOnlyList<AccountSettlement> Items, string? Next);
