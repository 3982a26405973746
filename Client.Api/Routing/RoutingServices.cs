using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Payments.Api.Routing;

/// <summary>Registers the clusters' clients, their health probes and the account router.</summary>
public static class RoutingServices
{
    public static IServiceCollection AddAccountRouting(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<RoutingOptions>().BindConfiguration(RoutingOptions.Section)
            .Validate(RoutingOptions.IsValid, $"{RoutingOptions.Section}: every interval, timeout and period must be positive, and so the threshold and cache size.")
            .ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);
        // Unless the API hosts its own silo (the quick look, EmbeddedSilo).
        services.TryAddSingleton<IClusterClients, RegionClusters>();
        services.AddHostedService(sp => sp.GetRequiredService<IClusterClients>());
        services.AddSingleton(sp => new SharedStoreWatch(
            sp.GetService<ISharedStorePing>(), sp.GetRequiredService<IOptions<RoutingOptions>>(), sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILogger<SharedStoreWatch>>()));
        services.AddHostedService(sp => sp.GetRequiredService<SharedStoreWatch>());
        services.AddSingleton<ClusterHealthRegistry>();
        services.AddHostedService<ClusterProber>();
        services.AddSingleton<RoutingMetrics>();
        services.AddSingleton<AccountRouter>();
        services.AddSingleton<IRegionHealth, RegionHealthReport>();
        services.AddSingleton<RoutingSwitchRefresh>();
        services.AddHostedService(sp => sp.GetRequiredService<RoutingSwitchRefresh>());

        // Without PostgreSQL (the embedded silo, the API tests) there is no directory: every account is local; the
        // routing switches are this API's alone; and no shared store to watch.
        var postgres = configuration.GetConnectionString("Postgres");
        services.AddSingleton<HomeRegionDirectory>();
        if (string.IsNullOrWhiteSpace(postgres))
        {
            services.AddSingleton<IRoutingSwitchStore, InMemoryRoutingSwitchStore>();
        }
        else
        {
            services.TryAddSingleton(_ => NpgsqlDataSource.Create(postgres));
            services.AddSingleton<IHomeRegionSource, PostgresHomeRegionSource>();
            services.AddSingleton<ISharedStorePing, PostgresSharedStorePing>();
            services.AddSingleton<IRoutingSwitchStore, PostgresRoutingSwitchStore>();
        }

        return services;
    }
}
