using Microsoft.AspNetCore.Diagnostics.HealthChecks;

namespace Payments.Api.Apis;

/// <summary>Health and the OpenAPI document, mapped in every environment.</summary>
public static class OperationsApi
{
    public static IEndpointRouteBuilder MapOperationsApi(this IEndpointRouteBuilder app)
    {
        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false });
        app.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = check => check.Tags.Contains("ready") });
        app.MapOpenApi();
        return app;
    }
}
