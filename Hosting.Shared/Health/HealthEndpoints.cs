using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Routing;

namespace Payments.Hosting.Health;

/// <summary>
/// <c>/health/live</c> runs no check (the process answers HTTP); <c>/health/ready</c> runs the checks tagged
/// <see cref="StoreHealthChecks.Ready"/>. Both anonymous: the orchestrator's probes carry no key.
/// </summary>
public static class HealthEndpoints
{
    public static IEndpointRouteBuilder MapLiveAndReady(this IEndpointRouteBuilder app)
    {
        // Probes are never rate-limited: a flood of bad requests must not get a healthy pod restarted.
        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false }).DisableRateLimiting();
        app.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = check => check.Tags.Contains(StoreHealthChecks.Ready) })
            .DisableRateLimiting();
        return app;
    }
}
