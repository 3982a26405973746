using Microsoft.Extensions.DependencyInjection.Extensions;
using Npgsql;

namespace Payments.Api.Routing;

/// <summary>Registers the clusters' clients, their health probes and the account router.</summary>
public static class RoutingServices
{
    public static IServiceCollection AddAccountRouting(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<RoutingOptions>().Bind(configuration.GetSection(RoutingOptions.Section));
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<IClusterClients, RegionClusters>();
        services.AddHostedService(sp => sp.GetRequiredService<IClusterClients>());
        services.AddSingleton<ClusterHealthRegistry>();
        services.AddHostedService<ClusterProber>();
        services.AddSingleton<RoutingMetrics>();
        services.AddSingleton<AccountRouter>();
        services.AddSingleton<IRegionHealth, RegionHealthReport>();

        // Without PostgreSQL (the embedded silo, the API tests) there is no directory: every account is local.
        var postgres = configuration.GetConnectionString("Postgres");
        services.AddSingleton<HomeRegionDirectory>();
        if (!string.IsNullOrWhiteSpace(postgres))
        {
            services.TryAddSingleton(_ => NpgsqlDataSource.Create(postgres));
            services.AddSingleton<IHomeRegionSource, PostgresHomeRegionSource>();
        }

        return services;
    }
}
