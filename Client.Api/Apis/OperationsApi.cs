using Payments.Hosting.Health;
using Payments.Hosting.Telemetry;

namespace Payments.Api.Apis;

/// <summary>Health, metrics and the OpenAPI document, mapped in every environment.</summary>
public static class OperationsApi
{
    public static IEndpointRouteBuilder MapOperationsApi(this IEndpointRouteBuilder app)
    {
        app.MapLiveAndReady();
        app.MapMetrics();
        app.MapOpenApi();
        return app;
    }
}
