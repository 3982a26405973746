using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using Payments.Hosting.Health;
using Payments.Hosting.Security;

namespace Payments.Hosting.Telemetry;

/// <summary>
/// Telemetry as every host sets it up: traces of HTTP requests, Orleans calls and Npgsql commands (a share of them,
/// <see cref="TracingOptions"/>); metrics scraped
/// by Prometheus at <c>/metrics</c>; both exported over OTLP too when <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set; logs as
/// JSON outside Development, each line carrying the trace and span ids of the request it belongs to.
/// </summary>
public static class TelemetryServices
{
    public const string MetricsPath = "/metrics";
    public const string OtlpEndpointVariable = "OTEL_EXPORTER_OTLP_ENDPOINT";
    public const string ServiceNamespace = "payments";

    /// <summary>The meter of the Orleans runtime and client (both hosts run one): activations, messaging, gateways.</summary>
    public const string OrleansMeter = "Microsoft.Orleans";

    public static WebApplicationBuilder AddPaymentsTelemetry(this WebApplicationBuilder builder, TelemetrySignals signals)
    {
        builder.Logging.AddStructuredConsole(builder.Environment, builder.Configuration);
        string[] untraced = ["/health", MetricsPath, .. signals.UntracedPaths];
        builder.Services.AddOptions<TracingOptions>().BindConfiguration(TracingOptions.Section)
            .Validate(TracingOptions.IsValid, $"{TracingOptions.Section}:TraceSampleRatio must be between 0 and 1.")
            .ValidateOnStart();
        // Parent-based: a request that arrives with a trace (the API's call reaching the silo) keeps its caller's decision.
        builder.Services.ConfigureOpenTelemetryTracerProvider((services, tracing) => tracing.SetSampler(new ParentBasedSampler(
            new TraceIdRatioBasedSampler(services.GetRequiredService<IOptions<TracingOptions>>().Value.TraceSampleRatio))));
        var telemetry = builder.Services.AddOpenTelemetry()
            .ConfigureResource(resource => resource
                .AddService(signals.ServiceName, ServiceNamespace)
                .AddAttributes(
                [
                    new("payments.region", signals.Region),
                    new("deployment.environment.name", builder.Environment.EnvironmentName),
                ]))
            .WithTracing(tracing => tracing
                // Probes and scrapes every few seconds would bury the payments; they are counted in the metrics.
                .AddAspNetCoreInstrumentation(options => options.Filter =
                    context => !untraced.Any(path => context.Request.Path.StartsWithSegments(path, StringComparison.OrdinalIgnoreCase)))
                .AddNpgsql()
                .AddSource([.. signals.ActivitySources]))
            .WithMetrics(metrics => metrics
                .AddAspNetCoreInstrumentation()
                .AddRuntimeInstrumentation()
                .AddNpgsqlInstrumentation()
                .AddMeter([OrleansMeter, DatabaseReplicationMetrics.MeterName, .. signals.Meters])
                .AddPrometheusExporter());
        if (!string.IsNullOrWhiteSpace(builder.Configuration[OtlpEndpointVariable]))
        {
            // Reads the standard OTEL_EXPORTER_OTLP_* variables (protocol, headers); adds OTLP logs too.
            telemetry.UseOtlpExporter();
        }

        return builder;
    }

    /// <summary>
    /// JSON lines outside Development, so a log pipeline parses them without patterns; the scopes carry the
    /// request's TraceId and SpanId, the same ids as its trace. A formatter named in configuration
    /// (<c>Logging:Console:FormatterName</c>) still wins.
    /// </summary>
    public static ILoggingBuilder AddStructuredConsole(this ILoggingBuilder logging, IHostEnvironment environment, IConfiguration configuration)
    {
        logging.Configure(options => options.ActivityTrackingOptions =
            ActivityTrackingOptions.TraceId | ActivityTrackingOptions.SpanId | ActivityTrackingOptions.ParentId);
        if (configuration["Logging:Console:FormatterName"] is { Length: > 0 })
        {
            return logging;
        }

        if (environment.IsDevelopment())
        {
            return logging.AddSimpleConsole(options => options.IncludeScopes = true);
        }

        return logging.AddJsonConsole(options =>
        {
            options.IncludeScopes = true;
            options.UseUtcTimestamp = true;
            options.TimestampFormat = "yyyy-MM-dd'T'HH:mm:ss.fff'Z'";
        });
    }

    /// <summary>The Prometheus scrape endpoint, for admin keys (docs/security.md): Prometheus sends one as its bearer token.</summary>
    public static IEndpointConventionBuilder MapMetrics(this IEndpointRouteBuilder app) =>
        app.MapPrometheusScrapingEndpoint(MetricsPath).RequireAuthorization(Roles.AdminPolicy);
}
