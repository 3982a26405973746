using System.Net;
using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using Payments.Integration.Tests.Events;
using Payments.Integration.Tests.Infrastructure;

namespace Payments.Integration.Tests.Observability;

/// <summary>
/// The Grafana dashboard and the Prometheus rules query only what the running system exports: every metric they name
/// is in a real scrape of a region (two silos and an API on PostgreSQL and Redis), after the traffic an operator's
/// day has (payments approved and declined, a webhook delivered, a rejected key, a settlement run, the readiness probes).
/// </summary>
[Collection(RunningRegionCollection.Name)]
public sealed class OperatorKitTests(RunningRegion region)
{
    [Fact]
    public void The_metric_name_reader_sees_metrics_and_skips_functions_labels_and_variables()
    {
        var names = OperatorKit.MetricNames(
            """histogram_quantile(0.99, sum by (le, region) (rate(payments_decision_duration_seconds_bucket{region=~"$region", status="a:b"}[$__rate_interval]))) / on (region) group_left region:payments_unavailable:rate5m > 0.25""");

        Assert.Equal(["payments_decision_duration_seconds_bucket", "region:payments_unavailable:rate5m"], names);
    }

    [Fact]
    public async Task Every_metric_the_dashboard_and_the_rules_name_is_in_a_scrape_of_a_running_region()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        using var admin = RunningRegion.Client(region.ApiAddress, RunningRegion.AdminKey);
        var endpoint = await admin.PostAsJsonAsync("/v1/webhook-endpoints", new { url = receiver.Url, types = new[] { "payment.*" } });
        Assert.Equal(HttpStatusCode.Created, endpoint.StatusCode);

        var accountId = await region.OpenAccountAsync(1_000);
        Assert.Equal(HttpStatusCode.Created, (await region.PayAsync(accountId, 600)).StatusCode);
        await region.PayAsync(accountId, 600); // declined: insufficient funds
        using (var anonymous = RunningRegion.Client(region.ApiAddress))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/metrics")).StatusCode);
        }

        // A webhook delivered, so that its lag is in the scrape of the silo that delivered it.
        await UntilAsync(() => receiver.Accepted.Any(w => w.Id.StartsWith(accountId + ":", StringComparison.Ordinal)));

        var grains = region.Silos[0].Factory.Services.GetRequiredService<IGrainFactory>();
        await grains.GetGrain<ISettlementGrain>(region.Region).SettleDueDaysAsync();
        Uri[] processes = [.. region.Silos.Select(silo => silo.Address), region.ApiAddress];
        foreach (var process in processes)
        {
            using var probe = RunningRegion.Client(process);
            Assert.Equal(HttpStatusCode.OK, (await probe.GetAsync("/health/ready")).StatusCode);
        }

        var scrapes = new List<PrometheusScrape>();
        foreach (var process in processes)
        {
            using var scraper = RunningRegion.Client(process, RunningRegion.AdminKey);
            scrapes.Add(new PrometheusScrape(await scraper.GetStringAsync("/metrics")));
        }

        // The region's other tests run no webhooks.
        await admin.DeleteAsync(endpoint.Headers.Location);

        var (ruleExpressions, recorded) = OperatorKit.Rules();
        var named = OperatorKit.DashboardQueries().Concat(ruleExpressions)
            .SelectMany(OperatorKit.MetricNames)
            .ToHashSet(StringComparer.Ordinal);
        var undefinedRecordings = named.Where(name => name.Contains(':', StringComparison.Ordinal) && !recorded.Contains(name));
        var missing = named.Where(name => !name.Contains(':', StringComparison.Ordinal) && !scrapes.Any(scrape => scrape.Has(name)));

        Assert.True(named.Count > 20, $"only {named.Count} names read from the dashboard and rules");
        Assert.Empty(undefinedRecordings);
        Assert.Empty(missing);
    }

    private static async Task UntilAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (!condition() && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100);
        }

        Assert.True(condition(), "No webhook delivered within 60 s.");
    }
}
