using OpenTelemetry.Metrics;
using Orleans.Diagnostics;
using Payments.Api.Routing;
using Payments.Hosting.Telemetry;

namespace Payments.Api.Hosting;

/// <summary>What the API traces and measures, on top of the common telemetry.</summary>
public static class ApiTelemetry
{
    public const string ServiceName = "payments-api";

    public static WebApplicationBuilder AddApiTelemetry(this WebApplicationBuilder builder)
    {
        // Created with the meter provider, not on first use: the region gauges exist from the start.
        builder.Services.AddSingleton<RegionHealthMetrics>();
        builder.Services.ConfigureOpenTelemetryMeterProvider(
            metrics => metrics.AddInstrumentation(services => services.GetRequiredService<RegionHealthMetrics>()));
        return builder.AddPaymentsTelemetry(new TelemetrySignals(
            ServiceName,
            TelemetrySignals.ConfiguredRegion(builder.Configuration),
            // The client side of grain calls: the span whose context travels to the silo with the call.
            ActivitySources: [ActivitySources.ApplicationGrainActivitySourceName],
            Meters: [RoutingMetrics.MeterName, LoadShedding.MeterName],
            UntracedPaths: []));
    }
}
