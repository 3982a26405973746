using System.Text.Json;
using Payments.Contracts;

namespace Payments.Api.Apis;

/// <summary>
/// <c>PUT /v1/regions/{region}/rules</c>: the whole rules and the version they were read at. <c>calendarChange</c> is
/// accepted so that the document read can be sent back as it is, and ignored: the server works it out.
/// </summary>
public sealed record RegionRulesBody(
    string? TimeZone, int? ResetHour, string? Currency, long? MaxPerPayment, LimitsBody? DefaultLimits,
    string[]? BlockedMccs, long? Version, JsonElement? CalendarChange)
{
    public RegionRules ToRules() => new(
        TimeZone!, ResetHour!.Value, Currency!, MaxPerPayment!.Value,
        new LimitSet(DefaultLimits!.PerPayment!.Value, DefaultLimits.Daily!.Value, DefaultLimits.Weekly!.Value, DefaultLimits.Monthly!.Value),
        [.. BlockedMccs!], Version!.Value);
}

/// <summary>A page of one region's settlement of one business day; <c>run</c> is null until the day is settled.</summary>
public sealed record SettlementListResponse(
    string Region, DateOnly BusinessDate, SettlementRun? Run, IReadOnlyList<AccountSettlement> Items, string? Next);
