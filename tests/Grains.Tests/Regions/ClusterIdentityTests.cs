using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Payments.Regions;

namespace Payments.Grains.Tests.Regions;

/// <summary>The grains' services take their region from the bound and validated identity, never a default.</summary>
public sealed class ClusterIdentityTests
{
    [Fact]
    public void Grain_services_without_a_region_stop_the_host_at_start_with_the_setting_name()
    {
        using var host = Host([]);

        // What the host runs first when it starts, before any hosted service (the silo among them).
        var error = Assert.Throws<OptionsValidationException>(() => host.Services.GetRequiredService<IStartupValidator>().Validate());

        Assert.Contains("Payments:Region is not set", error.Message);
    }

    [Fact]
    public void Grain_services_name_the_configured_region_as_the_decider()
    {
        using var host = Host(new() { ["Payments:Region"] = "region-c" });

        Assert.Equal(new SiloRegion("region-c"), host.Services.GetRequiredService<SiloRegion>());
    }

    private static IHost Host(Dictionary<string, string?> settings)
    {
        var builder = Microsoft.Extensions.Hosting.Host.CreateEmptyApplicationBuilder(new());
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Services.AddPaymentsGrains(builder.Configuration);
        return builder.Build();
    }
}
