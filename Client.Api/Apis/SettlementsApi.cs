using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;
using Payments.Api.Problems;
using Payments.Api.Routing;
using Payments.Api.Security;
using Payments.Api.Validation;
using Payments.Contracts;
using Payments.Hosting.Problems;
using Payments.Hosting.Security;

namespace Payments.Api.Apis;

/// <summary>A region's off-peak settlement: one closed business day, per account, cursor-paged.</summary>
public static class SettlementsApi
{
    private const int DefaultPageSize = 50;
    private const int MaxPageSize = 200;

    public static IEndpointRouteBuilder MapSettlementsApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/v1/regions/{region}/settlements", ListAsync).WithTags("Regions").WithName("ListSettlements")
            .WithSummary("A region's settlement of one business day, per account, cursor-paged")
            .RequireAuthorization(Roles.AdminPolicy);
        return app;
    }

    public static async Task<Results<Ok<SettlementListResponse>, ProblemHttpResult>> ListAsync(
        string region, string? date, int? limit, string? before, AccountRouter router, HttpContext context)
    {
        var errors = new Errors()
            .Check(DateOnly.TryParseExact(date, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var businessDate),
                "date", "Required: the business day, YYYY-MM-DD.")
            .Check(limit is null or >= 1 and <= MaxPageSize, "limit", $"Between 1 and {MaxPageSize}.")
            .Check(before is null || FieldRules.IsAccountId(before), "before", "A cursor returned as 'next' by a previous page.");
        if (!FieldRules.IsRegion(region))
        {
            return ApiProblems.UnknownRegion(region);
        }

        if (errors.Any)
        {
            return ApiProblems.Validation(errors.Fields);
        }

        var page = await router.CallAsync(
            region, grains => grains.GetGrain<ISettlementGrain>(region).ListAsync(businessDate, limit ?? DefaultPageSize, before), context);
        return page.Outcome switch
        {
            SettlementReadOutcome.Found => TypedResults.Ok(new SettlementListResponse(region, businessDate, page.Run, page.Items, page.NextBeforeAccountId)),
            SettlementReadOutcome.UnknownRegion => ApiProblems.UnknownRegion(region),
            _ => ApiProblems.Create(StatusCodes.Status404NotFound, ProblemCodes.SettlementsUnavailable, "Settlements not available.",
                "This deployment runs the embedded mode, without PostgreSQL: there is no off-peak settlement."),
        };
    }
}
