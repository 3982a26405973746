using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Options;
using Payments.Silo.Hosting;

namespace Payments.Integration.Tests.Hosting;

/// <summary>
/// A silo's identity (region = Orleans cluster id, service id) has no default outside Development: a Production silo
/// with a setting missing stops before it joins any cluster. No server is needed: it never gets that far.
/// </summary>
public sealed class SiloIdentityTests
{
    [Theory]
    [InlineData("Payments:Region")]
    [InlineData("Payments:ServiceId")]
    public void Production_silo_without_an_identity_setting_refuses_to_start_and_names_it(string missing)
    {
        using var production = new WebApplicationFactory<SiloSettings>().WithWebHostBuilder(web =>
        {
            web.UseEnvironment("Production");
            // Nothing listens there: the silo stops before it would connect.
            web.UseSetting("ConnectionStrings:Redis", "127.0.0.1:1");
            foreach (var (key, value) in new[] { ("Payments:Region", "region-a"), ("Payments:ServiceId", "payments") })
            {
                if (key != missing)
                {
                    web.UseSetting(key, value);
                }
            }
        });

        var error = Assert.Throws<OptionsValidationException>(() => production.CreateClient());

        Assert.Contains($"{missing} is not set", error.Message);
    }

    [Fact]
    public void Production_silo_without_redis_refuses_to_start_rather_than_run_alone_in_memory()
    {
        using var production = new WebApplicationFactory<SiloSettings>().WithWebHostBuilder(web =>
        {
            web.UseEnvironment("Production");
            web.UseSetting("Payments:Region", "region-a");
            web.UseSetting("Payments:ServiceId", "payments");
        });

        var error = Assert.Throws<InvalidOperationException>(() => production.CreateClient());

        Assert.Contains("ConnectionStrings:Redis is not set", error.Message);
    }
}
