using Microsoft.Extensions.Diagnostics.HealthChecks;
using Orleans.Runtime;
using Payments.Hosting.Health;

namespace Payments.Silo.Hosting;

/// <summary>Liveness (the process answers) and readiness (joined its cluster, its stores answer).</summary>
public static class SiloHealth
{
    public static IServiceCollection AddSiloHealthChecks(this IServiceCollection services, SiloSettings settings)
    {
        var checks = services.AddHealthChecks().AddCheck<ClusterMembershipCheck>("cluster", tags: [StoreHealthChecks.Ready]);
        if (!string.IsNullOrWhiteSpace(settings.Postgres))
        {
            checks.AddPostgres(settings.Postgres);
        }

        if (!settings.Embedded)
        {
            checks.AddRedis(settings.Redis!);
        }

        return services;
    }

    /// <summary>Ready once this silo is an active member of its cluster.</summary>
    private sealed class ClusterMembershipCheck(IClusterMembershipService membership, ILocalSiloDetails local) : IHealthCheck
    {
        public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken) =>
            Task.FromResult(membership.CurrentSnapshot.GetSiloStatus(local.SiloAddress) == SiloStatus.Active
                ? HealthCheckResult.Healthy()
                : HealthCheckResult.Unhealthy("Not an active member of the cluster yet"));
    }
}
