using Microsoft.AspNetCore.Http.HttpResults;
using Payments.Api.Problems;
using Payments.Api.Routing;
using Payments.Hosting.Problems;
using Payments.Hosting.Security;

namespace Payments.Api.Apis;

/// <summary>Regions: each region's cluster as this API sees it, and the operator's failover switch.</summary>
public static class RegionsApi
{
    public static IEndpointRouteBuilder MapRegionsApi(this IEndpointRouteBuilder app)
    {
        var regions = app.MapGroup("/v1/regions").WithTags("Regions").RequireAuthorization(Roles.AdminPolicy);
        regions.MapGet("/", List).WithName("ListRegions")
            .WithSummary("Each region's cluster as this API sees it: connection, breaker, last probe, who serves its accounts");
        regions.MapPut("/{region}/routing", SetRoutingAsync).WithName("SetRegionRouting")
            .WithSummary("Force (or release) the failover of a region's accounts to another cluster, for every API replica");
        return app;
    }

    public static Ok<RegionListResponse> List(IRegionHealth health) => TypedResults.Ok(new RegionListResponse(health.Describe()));

    public static async Task<Results<Ok<RegionHealthView>, ProblemHttpResult>> SetRoutingAsync(
        string region, RegionRoutingBody body, RoutingSwitchRefresh switches, IRegionHealth health, HttpContext context)
    {
        if (body.ForceFailover is not { } forced)
        {
            return ApiProblems.Validation("forceFailover", "Required: true to serve the region's accounts elsewhere, false to release.");
        }

        // Stored (and audited) before it is applied here; the other replicas apply it at their next refresh.
        return await switches.SetAsync(region, forced, ApiKeyIdentity.NameOf(context.User), context.RequestAborted)
            && health.Describe(region) is { } view
            ? TypedResults.Ok(view)
            : ApiProblems.Create(StatusCodes.Status404NotFound, ProblemCodes.UnknownRegion, "Unknown region.",
                $"This API has no cluster for '{region}'.");
    }
}

/// <summary><c>GET /v1/regions</c>.</summary>
public sealed record RegionListResponse(IReadOnlyList<RegionHealthView> Items);

/// <summary><c>PUT /v1/regions/{region}/routing</c>.</summary>
public sealed record RegionRoutingBody(bool? ForceFailover);
