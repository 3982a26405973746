using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Npgsql;
using Orleans.Runtime;
using StackExchange.Redis;

namespace Payments.Silo.Hosting;

/// <summary>Liveness (the process answers) and readiness (joined its cluster, its stores answer).</summary>
public static class SiloHealth
{
    private const string Ready = "ready";

    public static IServiceCollection AddSiloHealthChecks(this IServiceCollection services, SiloSettings settings)
    {
        var checks = services.AddHealthChecks().AddCheck<ClusterMembershipCheck>("cluster", tags: [Ready]);
        if (!string.IsNullOrWhiteSpace(settings.Postgres))
        {
            checks.AddAsyncCheck("postgres", ct => PingPostgresAsync(settings.Postgres, ct), [Ready]);
        }

        if (!settings.Embedded)
        {
            checks.AddAsyncCheck("redis", ct => PingRedisAsync(settings.Redis!), [Ready]);
        }

        return services;
    }

    public static WebApplication MapSiloEndpoints(this WebApplication app)
    {
        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false });
        app.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = check => check.Tags.Contains(Ready) });
        return app;
    }

    private static async Task<HealthCheckResult> PingPostgresAsync(string connectionString, CancellationToken cancellationToken)
    {
        try
        {
            await using var connection = new NpgsqlConnection(connectionString);
            await connection.OpenAsync(cancellationToken);
            return HealthCheckResult.Healthy();
        }
        catch (Exception ex)
        {
            return HealthCheckResult.Unhealthy("PostgreSQL unreachable", ex);
        }
    }

    private static async Task<HealthCheckResult> PingRedisAsync(string configuration)
    {
        try
        {
            await using var redis = await ConnectionMultiplexer.ConnectAsync(configuration);
            await redis.GetDatabase().PingAsync();
            return HealthCheckResult.Healthy();
        }
        catch (Exception ex)
        {
            return HealthCheckResult.Unhealthy("Redis unreachable", ex);
        }
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
