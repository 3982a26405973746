using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;
using Microsoft.Extensions.Options;

namespace Payments.Api.Tests;

/// <summary>How the API writes its logs in each environment.</summary>
public sealed class LoggingTests
{
    [Fact]
    public void Outside_development_the_console_writes_json_lines_with_the_trace_ids_in_their_scopes()
    {
        using var production = new WebApplicationFactory<Program>().WithWebHostBuilder(web =>
        {
            web.UseEnvironment("Production");
            web.UseSetting("Payments:Region", "region-a");
            web.UseSetting("Payments:ServiceId", "payments");
            web.UseSetting("Payments:Clusters:region-a:Redis", TestRegion.UnreachableRedis);
            web.UseSetting("Payments:ApiKeys:0:Name", "operations");
            web.UseSetting("Payments:ApiKeys:0:Key", "a-production-admin-key-" + Guid.NewGuid().ToString("N"));
            web.UseSetting("Payments:ApiKeys:0:Role", "admin");
        });

        var services = production.Services;

        Assert.Equal(ConsoleFormatterNames.Json, services.GetRequiredService<IOptionsMonitor<ConsoleLoggerOptions>>().CurrentValue.FormatterName);
        Assert.True(services.GetRequiredService<IOptionsMonitor<JsonConsoleFormatterOptions>>().CurrentValue.IncludeScopes);
        var tracking = services.GetRequiredService<IOptions<LoggerFactoryOptions>>().Value.ActivityTrackingOptions;
        Assert.True(tracking.HasFlag(ActivityTrackingOptions.TraceId) && tracking.HasFlag(ActivityTrackingOptions.SpanId));
    }

    [Fact]
    public void In_development_the_console_stays_readable_text()
    {
        using var development = new WebApplicationFactory<Program>().WithWebHostBuilder(web =>
            web.UseSetting("Payments:Clusters:region-a:Redis", TestRegion.UnreachableRedis));

        var options = development.Services.GetRequiredService<IOptionsMonitor<ConsoleLoggerOptions>>().CurrentValue;

        Assert.Equal(ConsoleFormatterNames.Simple, options.FormatterName);
    }
}
