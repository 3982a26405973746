using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;
using Orleans.Configuration;
using Orleans.Hosting;
using Orleans.Serialization;
using Orleans.Storage;
using Payments.Accounts;
using Payments.Accounts.Holds.Expiry;
using Payments.Events;
using Payments.Ledger;
using Payments.Regions;
using Payments.Settlement;
using Payments.Webhooks;

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
        services.AddSingleton<LedgerEvents>();
        services.AddSingleton<EventFeed>();
        services.AddWebhooks();
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
        services.AddOptions<HoldExpiryOptions>().BindConfiguration(HoldExpiryOptions.Section)
            .Validate(HoldExpiryOptions.IsValid, $"{HoldExpiryOptions.Section}: a setting is out of range.").ValidateOnStart();
        services.AddSingleton<HoldExpirySweep>();
        services.AddHostedService<HoldExpiryScheduling>();
        services.AddRegionIdentity();
        services.AddSingleton(sp => new SiloRegion(sp.GetRequiredService<IOptions<ClusterIdentityOptions>>().Value.Region));
        // The account storage's serializer (keyed by its name, as Orleans looks it up): the compact format, reading
        // the JSON snapshots written before it with the silo's default serializer.
        services.AddKeyedSingleton<IGrainStorageSerializer>(PaymentsSilo.AccountStorage, (sp, _) =>
            new SnapshotFormat(sp.GetRequiredService<Serializer>(), sp.GetRequiredService<IGrainStorageSerializer>()));
        services.AddOptions<SnapshotOptions>().BindConfiguration("Payments:Snapshots")
            .Validate(o => o.Period > TimeSpan.Zero && o.EveryRows > 0, "Payments:Snapshots: Period and EveryRows must be positive.")
            .ValidateOnStart();
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
            services.TryAddSingleton<InMemoryLedgerStore>();
            services.TryAddSingleton<ILedgerStore>(sp => sp.GetRequiredService<InMemoryLedgerStore>());
            services.TryAddSingleton<IEventFeedStore>(sp => sp.GetRequiredService<InMemoryLedgerStore>());
            services.TryAddSingleton<ILedgerAppends>(sp => sp.GetRequiredService<InMemoryLedgerStore>());
            services.TryAddSingleton<IHoldExpiryStore>(sp => sp.GetRequiredService<InMemoryLedgerStore>());
            services.TryAddSingleton<IRegionRulesStore, InMemoryRegionRulesStore>();
        }
        else
        {
            // Named, so the pool shows as "ledger" in the Npgsql metrics rather than as its connection string.
            services.TryAddSingleton(_ => new NpgsqlDataSourceBuilder(postgres) { Name = "ledger" }.Build());
            services.TryAddSingleton<IAppendNotifier, PostgresAppendNotifier>();
            services.TryAddSingleton<ILedgerStore, PostgresLedgerStore>();
            services.TryAddSingleton<IEventFeedStore, PostgresEventFeedStore>();
            services.AddLedgerAppends(postgres);
            services.TryAddSingleton<IHoldExpiryStore, PostgresHoldExpiryStore>();
            services.TryAddSingleton<IRegionRulesStore, PostgresRegionRulesStore>();
            services.TryAddSingleton<ISettlementStore, PostgresSettlementStore>();
            services.TryAddSingleton<IWebhookStore>(sp => new PostgresWebhookStore(
                sp.GetRequiredService<NpgsqlDataSource>(), sp.GetRequiredService<IOptions<ClusterOptions>>().Value.ServiceId));
            if (!string.IsNullOrWhiteSpace(configuration[$"{WebhookOptions.Section}:SecretKey"]))
            {
                services.AddSingleton(sp => SecretBox.FromBase64(sp.GetRequiredService<IOptions<WebhookOptions>>().Value.SecretKey!));
                services.AddSingleton<WebhookDelivery>();
                services.AddHostedService<WebhookDispatcher>();
            }
        }

        return services;
    }

    /// <summary>What webhooks need in every mode: the URL policy (Development allows loopback), the sender, the metrics.</summary>
    private static void AddWebhooks(this IServiceCollection services)
    {
        services.AddOptions<WebhookOptions>().BindConfiguration(WebhookOptions.Section)
            .Validate(WebhookOptions.IsValid, $"{WebhookOptions.Section}: a setting is out of range, or SecretKey is not 32 bytes of base64.")
            .ValidateOnStart();
        services.AddSingleton(sp => new UrlPolicy(sp.GetRequiredService<IHostEnvironment>().IsDevelopment()));
        services.AddSingleton(sp => new WebhookSender(
            sp.GetRequiredService<UrlPolicy>(), sp.GetRequiredService<IOptions<WebhookOptions>>().Value.AttemptTimeout));
        services.AddSingleton<WebhookMetrics>();
    }
}
