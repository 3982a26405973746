using Microsoft.AspNetCore.Http.HttpResults;
using Payments.Api.Problems;
using Payments.Api.Routing;
using Payments.Api.Security;
using Payments.Api.Validation;
using Payments.Contracts;
using Payments.Hosting.Problems;
using Payments.Hosting.Security;

namespace Payments.Api.Apis;

/// <summary>A region's rules: read them, and replace them with optimistic concurrency; every change is audited.</summary>
public static class RegionRulesApi
{
    private const int MaxBlockedMccs = 1000;

    public static IEndpointRouteBuilder MapRegionRulesApi(this IEndpointRouteBuilder app)
    {
        var rules = app.MapGroup("/v1/regions/{region}/rules").WithTags("Regions").RequireAuthorization(Roles.AdminPolicy);
        rules.MapGet("/", GetAsync).WithName("GetRegionRules").WithSummary("A region's rules and their version");
        rules.MapPut("/", PutAsync).WithName("PutRegionRules")
            .WithSummary("Replace a region's rules (optimistic concurrency on version); in force everywhere within 5 seconds");
        return app;
    }

    public static async Task<Results<Ok<RegionRules>, ProblemHttpResult>> GetAsync(
        string region, AccountRouter router, HttpContext context)
    {
        if (!FieldRules.IsRegion(region))
        {
            return ApiProblems.UnknownRegion(region);
        }

        var rules = await router.CallAsync(
            region, grains => grains.GetGrain<IRegionRulesGrain>(region).GetRulesAsync(), context);
        return rules is null ? ApiProblems.UnknownRegion(region) : TypedResults.Ok(rules);
    }

    public static async Task<Results<Ok<RegionRules>, ProblemHttpResult>> PutAsync(
        string region, RegionRulesBody body, AccountRouter router, HttpContext context)
    {
        if (!FieldRules.IsRegion(region))
        {
            return ApiProblems.UnknownRegion(region);
        }

        if (Check(body) is { Any: true } errors)
        {
            return ApiProblems.Validation(errors.Fields);
        }

        // The grain writes the audit row itself, in the same statement as the change. Not repeated on another cluster:
        // a first attempt that took effect would turn the retry into a version conflict.
        // The hold rules a body leaves out keep their value: those in force at the version the body was read at, or a
        // version conflict below, since the update only applies at that version.
        var holdsInForce = body.KeepsSomeHoldRules
            ? (await router.CallAsync(region, grains => grains.GetGrain<IRegionRulesGrain>(region).GetRulesAsync(), context))?.HoldRulesInForce()
            : null;
        var update = new RulesUpdate(body.ToRules(holdsInForce ?? HoldRules.Default), ApiKeyIdentity.NameOf(context.User));
        var result = await router.CallAsync(
            region, grains => grains.GetGrain<IRegionRulesGrain>(region).UpdateRulesAsync(update), context);
        return result.Outcome switch
        {
            RulesUpdateOutcome.Updated => TypedResults.Ok(result.Rules),
            RulesUpdateOutcome.UnknownRegion => ApiProblems.UnknownRegion(region),
            RulesUpdateOutcome.VersionConflict => ApiProblems.Create(StatusCodes.Status409Conflict, ProblemCodes.VersionConflict,
                "Version conflict.",
                $"The rules of '{region}' are at version {result.Rules?.Version}, not {body.Version}: read them again and reapply the change."),
            RulesUpdateOutcome.Invalid => ApiProblems.Validation(result.Errors),
            _ => ApiProblems.Unavailable(context),
        };
    }

    private static Errors Check(RegionRulesBody body)
    {
        var limits = body.DefaultLimits;
        return new Errors()
            .Check(body.TimeZone is { Length: > 0 and <= 64 }, "timeZone", "Required: an IANA time zone, e.g. Europe/Paris.")
            .Check(body.ResetHour is >= 0 and <= 23, "resetHour", "Required: an hour from 0 to 23, local time.")
            .Check(Iso4217.IsCurrency(body.Currency), "currency", "Required: an ISO 4217 currency code.")
            .Check(body.MaxPerPayment is > 0, "maxPerPayment", "Required: a positive number of minor units.")
            .Check(limits is not null, "defaultLimits", "Required: perPayment, daily, weekly and monthly.")
            .Check(limits is null || limits.PerPayment is > 0, "defaultLimits.perPayment", "Required: a positive number of minor units.")
            .Check(limits is null || limits.Daily is > 0, "defaultLimits.daily", "Required: a positive number of minor units.")
            .Check(limits is null || limits.Weekly is > 0, "defaultLimits.weekly", "Required: a positive number of minor units.")
            .Check(limits is null || limits.Monthly is > 0, "defaultLimits.monthly", "Required: a positive number of minor units.")
            .Check(body.BlockedMccs is { Length: <= MaxBlockedMccs } mccs && mccs.All(FieldRules.IsMcc), "blockedMccs",
                $"Required: up to {MaxBlockedMccs} merchant category codes of four digits (ISO 18245); [] for none.")
            .Check(body.Version is > 0, "version", "Required: the version the rules were read at.")
            .Check(body.HoldExpiry is null || IsoDuration.TryParse(body.HoldExpiry.Default, out _), "holdExpiry.default",
                "Required in holdExpiry: an ISO 8601 duration of days, hours, minutes or seconds, e.g. P7D.")
            .Check(body.HoldExpiry?.ByMcc is null || body.HoldExpiry.ByMcc.Values.All(period => IsoDuration.TryParse(period, out _)), "holdExpiry.byMcc",
                "Merchant categories, each with an ISO 8601 duration of days, hours, minutes or seconds, e.g. { \"7011\": \"P31D\" }.");
    }
}
