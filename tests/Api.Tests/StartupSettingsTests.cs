using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Options;

namespace Payments.Api.Tests;

/// <summary>Settings of tracing and load shedding are checked when the API starts, not on the first request.</summary>
[Collection(ApiCollection.Name)]
public sealed class StartupSettingsTests(ApiFixture fixture)
{
    [Theory]
    [InlineData("Payments:Telemetry:TraceSampleRatio", "1.5", "TraceSampleRatio must be between 0 and 1")]
    [InlineData("Payments:Telemetry:TraceSampleRatio", "-0.1", "TraceSampleRatio must be between 0 and 1")]
    [InlineData("Payments:LoadShedding:MaxConcurrentRequests", "0", "MaxConcurrentRequests must be positive")]
    public void A_setting_out_of_range_stops_the_start_and_names_it(string key, string value, string message)
    {
        using var misconfigured = fixture.Factory.WithWebHostBuilder(web => web.UseSetting(key, value));

        var error = Assert.Throws<OptionsValidationException>(() => misconfigured.CreateClient());

        Assert.Contains(message, error.Message);
    }
}
