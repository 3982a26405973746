using Microsoft.AspNetCore.Diagnostics.HealthChecks;

namespace Payments.Api.Apis;

/// <summary>Health and the OpenAPI document, mapped in every environment.</summary>
public static class OperationsApi
{
    public static IEndpointRouteBuilder MapOperationsApi(this IEndpointRouteBuilder app)
    {
        // Probes are never rate-limited: a flood of bad requests must not get a healthy pod restarted.
        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false }).DisableRateLimiting();
        app.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = check => check.Tags.Contains("ready") }).DisableRateLimiting();
        app.MapOpenApi();
        return app;
    }
}
