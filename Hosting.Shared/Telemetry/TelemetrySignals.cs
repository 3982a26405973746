using Microsoft.Extensions.Configuration;

namespace Payments.Hosting.Telemetry;

/// <summary>What one host adds to the common telemetry: who it is, and the sources and meters of its own code.</summary>
/// <param name="ServiceName">The OpenTelemetry <c>service.name</c>, e.g. <c>payments-silo</c>.</param>
/// <param name="Region">The region the host serves, on every signal as <c>payments.region</c>.</param>
/// <param name="ActivitySources">The activity sources to trace besides ASP.NET Core and Npgsql.</param>
/// <param name="Meters">The meters to export besides ASP.NET Core, the .NET runtime, Npgsql and Orleans.</param>
/// <param name="UntracedPaths">Request paths polled so often that tracing them is noise (health and metrics always are).</param>
public sealed record TelemetrySignals(
    string ServiceName,
    string Region,
    IReadOnlyList<string> ActivitySources,
    IReadOnlyList<string> Meters,
    IReadOnlyList<string> UntracedPaths)
{
    /// <summary>
    /// <c>Payments:Region</c> as configured, for the resource attributes that are built before the host starts. A host
    /// without one never serves: its identity options refuse to start it (ClusterIdentityOptions).
    /// </summary>
    public static string ConfiguredRegion(IConfiguration configuration) => configuration["Payments:Region"] ?? "";
}
