using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;
using Orleans.Hosting;
using Orleans.Serialization;
using Payments.Accounts;
using Payments.Ledger;
using Payments.Regions;
using Payments.Settlement;

namespace Payments;

/// <summary>Registers what the grains need on a silo: the ledger and its writer, the region rules, the settlement, the clock.</summary>
public static class PaymentsGrainServices
{
    /// <summary>
    /// With <c>ConnectionStrings:Postgres</c> the ledger and the region rules are PostgreSQL; without it, in memory (the
    /// embedded mode and grain tests), and there is no settlement.
    /// </summary>
    public static IServiceCollection AddPaymentsGrains(this IServiceCollection services, IConfiguration configuration)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<LedgerMetrics>();
        services.AddSingleton<AccountMetrics>();
        services.AddSingleton<SettlementMetrics>();
        services.AddSingleton<LedgerWriter>();
        services.AddHostedService(sp => sp.GetRequiredService<LedgerWriter>());
        services.AddSingleton<ConfiguredRegionRules>();
        services.AddSingleton<RegionRulesCache>();
        services.TryAddSingleton<IRegionRulesProvider>(sp => sp.GetRequiredService<RegionRulesCache>());
        services.AddHostedService(sp => sp.GetRequiredService<RegionRulesCache>());
        services.Configure<SettlementOptions>(configuration.GetSection("Payments:Settlement"));
        services.AddSingleton(sp => new SettlementService(
            sp.GetService<ISettlementStore>(), sp.GetRequiredService<IRegionRulesProvider>(), sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<IOptions<SettlementOptions>>(), sp.GetRequiredService<IHostApplicationLifetime>(),
            sp.GetRequiredService<SettlementMetrics>(), sp.GetRequiredService<ILogger<SettlementService>>()));
        services.AddHostedService<SettlementScheduling>();
        services.AddRegionIdentity();
        services.AddSingleton(sp => new SiloRegion(sp.GetRequiredService<IOptions<ClusterIdentityOptions>>().Value.Region));
        services.Configure<SnapshotOptions>(configuration.GetSection("Payments:Snapshots"));
        // Orleans refuses reminders shorter than its minimum (1 minute); a shorter snapshot period (tests) lowers it.
        services.AddOptions<ReminderOptions>().Configure<IOptions<SnapshotOptions>>((reminders, snapshots) =>
            reminders.MinimumReminderPeriod = TimeSpan.FromTicks(
                Math.Min(reminders.MinimumReminderPeriod.Ticks, snapshots.Value.Period.Ticks)));

        // A store failure travels back to the caller inside Orleans' exceptions (a snapshot that cannot be read fails the
        // activation): without this, the response itself fails to serialize and the caller cannot tell it is transient.
        services.Configure<ExceptionSerializationOptions>(options => options.SupportedNamespacePrefixes.Add("Npgsql"));

        var postgres = configuration.GetConnectionString("Postgres");
        if (string.IsNullOrWhiteSpace(postgres))
        {
            services.TryAddSingleton<ILedgerStore, InMemoryLedgerStore>();
            services.TryAddSingleton<IRegionRulesStore, InMemoryRegionRulesStore>();
        }
        else
        {
            // Named, so the pool shows as "ledger" in the Npgsql metrics rather than as its connection string.
            services.TryAddSingleton(_ => new NpgsqlDataSourceBuilder(postgres) { Name = "ledger" }.Build());
            services.TryAddSingleton<ILedgerStore, PostgresLedgerStore>();
            services.TryAddSingleton<IRegionRulesStore, PostgresRegionRulesStore>();
            services.TryAddSingleton<ISettlementStore, PostgresSettlementStore>();
        }

        return services;
    }
}
