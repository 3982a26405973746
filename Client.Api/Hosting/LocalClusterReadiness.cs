using Microsoft.Extensions.Diagnostics.HealthChecks;
using Payments.Api.Routing;

namespace Payments.Api.Hosting;

/// <summary>Ready once the API has a connected client of its own region's cluster.</summary>
public sealed class LocalClusterReadiness(IClusterClients clusters, ApiRegion local) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken) =>
        Task.FromResult(clusters.Find(local.Name) is null
            ? HealthCheckResult.Unhealthy($"Cluster of {local.Name} not connected")
            : HealthCheckResult.Healthy());
}
