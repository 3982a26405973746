using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Payments.Api.Routing;
using Payments.Regions;

namespace Payments.Api.Tests;

/// <summary>The API's identity (region = cluster id, service id) has no default outside Development.</summary>
public sealed class ClusterIdentityTests
{
    [Theory]
    [InlineData("Payments:Region")]
    [InlineData("Payments:ServiceId")]
    public void Production_api_without_an_identity_setting_refuses_to_start_and_names_it(string missing)
    {
        using var production = Production(missing);

        var error = Assert.Throws<OptionsValidationException>(() => production.CreateClient());

        Assert.Contains($"{missing} is not set", error.Message);
    }

    [Fact]
    public void Production_api_with_its_identity_serves_the_configured_region()
    {
        using var production = Production(missing: null);

        var region = production.Services.GetRequiredService<ApiRegion>();

        Assert.Equal("region-b", region.Name);
        Assert.Equal("payments-prod", production.Services.GetRequiredService<IOptions<ClusterIdentityOptions>>().Value.ServiceId);
    }

    [Fact]
    public void Development_profile_names_region_a_and_the_payments_service()
    {
        using var development = new WebApplicationFactory<Program>().WithWebHostBuilder(web =>
            web.UseSetting("Payments:Clusters:region-a:Redis", TestRegion.UnreachableRedis));

        var identity = development.Services.GetRequiredService<IOptions<ClusterIdentityOptions>>().Value;

        Assert.Equal(("region-a", "payments"), (identity.Region, identity.ServiceId));
    }

    [Fact]
    public void Api_without_any_cluster_refuses_to_start_and_names_the_quick_look()
    {
        using var alone = new WebApplicationFactory<Program>();

        var error = Assert.Throws<InvalidOperationException>(() => alone.CreateClient());

        Assert.Contains("Payments:Clusters must give each region's cluster its Redis", error.Message);
        Assert.Contains("Payments:EmbeddedSilo=true", error.Message);
    }

    [Fact]
    public void Quick_look_refuses_to_start_beside_real_clusters()
    {
        using var mixed = new WebApplicationFactory<Program>().WithWebHostBuilder(web =>
        {
            web.UseSetting("Payments:EmbeddedSilo", "true");
            web.UseSetting("Payments:Clusters:region-a:Redis", TestRegion.UnreachableRedis);
        });

        var error = Assert.Throws<InvalidOperationException>(() => mixed.CreateClient());

        Assert.Contains("Payments:EmbeddedSilo runs the quick look without any server", error.Message);
    }

    [Fact]
    public void Quick_look_refuses_to_start_outside_development()
    {
        using var production = Production(missing: null).WithWebHostBuilder(web => web.UseSetting("Payments:EmbeddedSilo", "true"));

        var error = Assert.Throws<InvalidOperationException>(() => production.CreateClient());

        Assert.Contains("is the quick look of the Development environment", error.Message);
    }

    private static WebApplicationFactory<Program> Production(string? missing) => new WebApplicationFactory<Program>().WithWebHostBuilder(web =>
    {
        web.UseEnvironment("Production");
        foreach (var (key, value) in new[] { ("Payments:Region", "region-b"), ("Payments:ServiceId", "payments-prod") })
        {
            if (key != missing)
            {
                web.UseSetting(key, value);
            }
        }

        web.UseSetting("Payments:Clusters:region-b:Redis", TestRegion.UnreachableRedis);
        web.UseSetting("Payments:ApiKeys:0:Name", "operations");
        web.UseSetting("Payments:ApiKeys:0:Key", "a-production-admin-key-" + Guid.NewGuid().ToString("N"));
        web.UseSetting("Payments:ApiKeys:0:Role", "admin");
    });
}
