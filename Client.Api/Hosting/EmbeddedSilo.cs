using Payments.Api.Routing;

namespace Payments.Api.Hosting;

/// <summary>
/// The quick look (<c>Payments:EmbeddedSilo=true</c>, the launch profile of <c>dotnet run --project Client.Api</c>):
/// the API hosts its region's silo itself, on localhost clustering with the ledger, snapshots, rules and keys in
/// memory, so one process with no server answers the whole REST API. Nothing survives the process.
/// </summary>
public static class EmbeddedSilo
{
    public const string Setting = "Payments:EmbeddedSilo";

    /// <summary>Adds the silo when <see cref="Setting"/> is on; before the routing, so the silo starts before its probes.</summary>
    public static WebApplicationBuilder AddEmbeddedSiloWhenAsked(this WebApplicationBuilder builder)
    {
        var configuration = builder.Configuration;
        if (!configuration.GetValue<bool>(Setting))
        {
            return builder;
        }

        if (!builder.Environment.IsDevelopment())
        {
            throw new InvalidOperationException(
                $"{Setting} is the quick look of the Development environment: nothing it records survives the process.");
        }

        if (configuration.GetSection(ClusterSettings.Section).GetChildren().Any() || !string.IsNullOrWhiteSpace(configuration.GetConnectionString("Postgres")))
        {
            throw new InvalidOperationException(
                $"{Setting} runs the quick look without any server: unset {ClusterSettings.Section} and ConnectionStrings:Postgres, " +
                "or unset it to reach the regions' clusters.");
        }

        builder.Services.AddPaymentsGrains(configuration);
        builder.UseOrleans(silo => silo
            .UsePaymentsIdentity()
            .UseEmbeddedCluster(configuration.GetValue("Orleans:SiloPort", 11111), configuration.GetValue("Orleans:GatewayPort", 30000))
            .AddInMemoryAccountStorage());
        builder.Services.AddSingleton<IClusterClients, LocalSiloCluster>();
        return builder;
    }

    /// <summary>The silo in this process as the API's only cluster: its own region's.</summary>
    private sealed class LocalSiloCluster(IClusterClient client, ApiRegion local, ILogger<LocalSiloCluster> logger) : IClusterClients
    {
        public IReadOnlyCollection<string> Regions => [local.Name];

        public IClusterClient? Find(string region) => string.Equals(region, local.Name, StringComparison.Ordinal) ? client : null;

        public Task StartAsync(CancellationToken cancellationToken)
        {
            logger.LogWarning(
                "Quick look: this API hosts the only silo of {Region} with everything in memory; nothing is durable. " +
                "Set {Clusters} to reach real clusters instead", local.Name, ClusterSettings.Section);
            return Task.CompletedTask;
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
