using System.Diagnostics;
using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Payments.Integration.Tests.Infrastructure;

namespace Payments.Integration.Tests.Observability;

/// <summary>Liveness and readiness of the silos and the API, including when what they depend on is gone.</summary>
[Collection(RunningRegionCollection.Name)]
public sealed class HealthTests(RunningRegion region)
{
    private static readonly TimeSpan NoticeTimeout = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Silos_and_api_are_live_and_ready_without_a_key()
    {
        foreach (var address in region.Silos.Select(silo => silo.Address).Append(region.ApiAddress))
        {
            using var probe = RunningRegion.Client(address);

            var live = await probe.GetAsync("/health/live");
            var ready = await probe.GetAsync("/health/ready");

            Assert.Equal((HttpStatusCode.OK, HttpStatusCode.OK), (live.StatusCode, ready.StatusCode));
            Assert.Equal("Healthy", await ready.Content.ReadAsStringAsync());
        }
    }

    [Fact]
    public async Task Api_is_not_ready_when_postgres_does_not_answer()
    {
        var nowhere = $"Host=127.0.0.1;Port={RunningRegion.FreePort()};Username=postgres;Database=payments";
        await using var api = region.CreateApi(new SpanCollector(), ("ConnectionStrings:Postgres", nowhere));
        RunningRegion.Start(api);
        var checks = api.Services.GetRequiredService<HealthCheckService>();

        var report = await WaitForAsync(checks, report => report.Entries["local-cluster"].Status == HealthStatus.Healthy);

        Assert.Equal(HealthStatus.Unhealthy, report.Entries["postgres"].Status);
        Assert.Equal(HealthStatus.Unhealthy, report.Status);
    }

    [Fact]
    public async Task Api_is_not_ready_once_every_silo_of_its_region_is_gone()
    {
        await using var lonely = new RunningRegion(silos: 1);
        await lonely.InitializeAsync();
        using var probe = RunningRegion.Client(lonely.ApiAddress);
        using var scraper = RunningRegion.Client(lonely.ApiAddress, RunningRegion.AdminKey);
        Assert.Equal(HttpStatusCode.OK, (await probe.GetAsync("/health/ready")).StatusCode);

        await lonely.StopSiloAsync(lonely.Silos[0]);

        var waited = Stopwatch.StartNew();
        while ((await probe.GetAsync("/health/ready")).StatusCode == HttpStatusCode.OK && waited.Elapsed < NoticeTimeout)
        {
            await Task.Delay(250);
        }

        var scrape = new PrometheusScrape(await scraper.GetStringAsync("/metrics"));
        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await probe.GetAsync("/health/ready")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await probe.GetAsync("/health/live")).StatusCode);
        Assert.Equal(0, scrape.Sum("payments_region_takes_traffic", ("region", lonely.Region)));
    }

    private static async Task<HealthReport> WaitForAsync(HealthCheckService checks, Func<HealthReport, bool> condition)
    {
        var waited = Stopwatch.StartNew();
        while (true)
        {
            var report = await checks.CheckHealthAsync(check => check.Tags.Contains("ready"));
            if (condition(report) || waited.Elapsed > NoticeTimeout)
            {
                return report;
            }

            await Task.Delay(250);
        }
    }
}
