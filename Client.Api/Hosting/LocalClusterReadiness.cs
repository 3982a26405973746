using Microsoft.Extensions.Diagnostics.HealthChecks;
using Payments.Api.Routing;

namespace Payments.Api.Hosting;

/// <summary>
/// Ready while the API reaches its own region's cluster: a client of it is connected and the cluster answers its
/// probes (its breaker is not open). A started client alone proves nothing once every silo is gone.
/// </summary>
public sealed class LocalClusterReadiness(IClusterClients clusters, ClusterHealthRegistry health, ApiRegion local) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken) =>
        Task.FromResult(
            clusters.Find(local.Name) is null ? HealthCheckResult.Unhealthy($"Cluster of {local.Name} not connected")
            : health.Find(local.Name) is { Breaker: BreakerState.Open } cluster
                ? HealthCheckResult.Unhealthy($"Cluster of {local.Name} does not answer: {cluster.LastFailure}")
                : HealthCheckResult.Healthy());
}
