using Orleans.Configuration;
using Orleans.Dashboard;
using Payments.Regions;
using Payments.Hosting.Security;
using Payments.Silo.Dashboard;
using StackExchange.Redis;

namespace Payments.Silo.Hosting;

/// <summary>Builds the silo from configuration: a region's cluster on Redis and PostgreSQL, or the embedded mode.</summary>
public static class SiloHosting
{
    public static WebApplicationBuilder AddPaymentsSilo(this WebApplicationBuilder builder)
    {
        var settings = SiloSettings.From(builder.Configuration);
        if (settings.Embedded && !builder.Environment.IsDevelopment())
        {
            // Without Redis a silo is a cluster of one with nothing shared: in Production, a missing setting, not a choice.
            throw new InvalidOperationException(
                "ConnectionStrings:Redis is not set: a silo keeps its cluster's membership and reminders in its region's " +
                "Redis (ConnectionStrings__Redis=host:port). The embedded mode, without it, runs only in the Development environment.");
        }

        builder.Services.AddSingleton(settings);
        builder.Services.AddClusterIdentity();
        builder.Services.AddPaymentsGrains(builder.Configuration);
        builder.Services.AddSiloHealthChecks(settings);
        builder.Services.AddApiKeyAuthentication(ApiKeyAuthenticationServices.ConfiguredKeys(builder.Configuration, builder.Environment));
        builder.Services.AddDashboardAccess();
        builder.AddSiloTelemetry();
        builder.UseOrleans(silo =>
        {
            silo.AddActivityPropagation();
            silo.AddDashboard();
            silo.UsePaymentsIdentity();
            // Failure detection tuned for seconds, not Orleans' defaults (Silo/appsettings.json, Orleans:Membership).
            silo.Configure<ClusterMembershipOptions>(builder.Configuration.GetSection("Orleans:Membership"));
            if (settings.Embedded)
            {
                silo.UseEmbeddedCluster(settings.SiloPort, settings.GatewayPort);
            }
            else
            {
                var redis = ConfigurationOptions.Parse(settings.Redis!);
                silo.ConfigureEndpoints(settings.AdvertisedIp, settings.SiloPort, settings.GatewayPort, settings.ListenOnAnyHostAddress);
                silo.UseRedisClustering(options => options.ConfigurationOptions = redis);
                // Reminders are region-local: in the shared database both clusters would fire the same ones.
                silo.UseRedisReminderService(options => options.ConfigurationOptions = redis);
            }

            if (string.IsNullOrWhiteSpace(settings.Postgres))
            {
                silo.AddInMemoryAccountStorage();
            }
            else
            {
                silo.AddAdoNetGrainStorage(PaymentsSilo.AccountStorage, options =>
                {
                    options.Invariant = "Npgsql";
                    options.ConnectionString = settings.Postgres;
                });
            }
        });
        return builder;
    }

    /// <summary>Applies the schema migrations before the silo joins its cluster.</summary>
    public static async Task MigrateDatabaseAsync(this WebApplication app)
    {
        var settings = app.Services.GetRequiredService<SiloSettings>();
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Payments.Silo");
        if (settings.Embedded)
        {
            logger.LogWarning(
                "Embedded mode: one silo on localhost clustering with in-memory storage, ledger and reminders. " +
                "Nothing is durable; set ConnectionStrings:Redis and ConnectionStrings:Postgres for a real region");
        }

        if (!string.IsNullOrWhiteSpace(settings.Postgres))
        {
            await SchemaMigrator.ApplyAsync(settings.Postgres, logger, app.Lifetime.ApplicationStopping);
        }
    }
}
