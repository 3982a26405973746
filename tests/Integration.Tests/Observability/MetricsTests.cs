using System.Net;
using Npgsql;
using Payments.Integration.Tests.Infrastructure;

namespace Payments.Integration.Tests.Observability;

/// <summary>The Prometheus endpoints of the silos and the API, scraped as Prometheus would.</summary>
[Collection(RunningRegionCollection.Name)]
public sealed class MetricsTests(RunningRegion region)
{
    [Fact]
    public async Task Silo_metrics_count_payments_by_status_and_decline_reason_as_the_ledger_records_them()
    {
        var accountId = await region.OpenAccountAsync(1_000);
        var before = await ScrapeAsync(region.Silos[0].Address);

        await region.PayAsync(accountId, 600);
        await region.PayAsync(accountId, 600);
        await region.PayAsync(accountId, 100, mcc: "7995");

        var after = await ScrapeAsync(region.Silos[0].Address);
        // Every silo of the region runs in this process and its meters are process-wide: one scrape sees them all.
        var ledger = await LedgerOutcomesAsync(accountId);
        Assert.Equal(["approved/", "declined/category_blocked", "declined/insufficient_funds"], ledger);
        Assert.Equal(1, Delta(before, after, ("status", "approved"), ("decline_reason", "none")));
        Assert.Equal(1, Delta(before, after, ("status", "declined"), ("decline_reason", "insufficient_funds")));
        Assert.Equal(1, Delta(before, after, ("status", "declined"), ("decline_reason", "category_blocked")));
        Assert.Equal(3, after.Sum("payments_decision_duration_seconds_count", ("region", region.Region))
            - before.Sum("payments_decision_duration_seconds_count", ("region", region.Region)));
        Assert.True(after.Sum("payments_accounts_active", ("region", region.Region)) >= 1);
        Assert.True(after.Sum("payments_ledger_batch_size_count") >= 3);
        Assert.True(after.Has("orleans_catalog_activations"));
        Assert.True(after.Has("dotnet_gc_collections_total"));
    }

    [Fact]
    public async Task Api_metrics_show_requests_by_route_and_the_connected_region()
    {
        var accountId = await region.OpenAccountAsync(1_000);
        await region.PayAsync(accountId, 10);

        var scrape = await ScrapeAsync(region.ApiAddress);

        Assert.True(scrape.Sum("http_server_request_duration_seconds_count",
            ("http_route", "/v1/accounts/{accountId}/payments"), ("http_response_status_code", "201")) >= 1);
        Assert.Equal(1, scrape.Sum("payments_region_connected", ("region", region.Region)));
        Assert.True(scrape.Has("payments_region_takes_traffic"));
    }

    [Fact]
    public async Task Scrapes_name_the_connection_pools_but_never_show_the_database_password()
    {
        await region.PayAsync(await region.OpenAccountAsync(1_000), 10);

        var silo = await ScrapeAsync(region.Silos[0].Address);
        var api = await ScrapeAsync(region.ApiAddress);

        Assert.True(silo.Has("db_client_connection_max"));
        Assert.True(silo.Sum("db_client_connection_max", ("db_client_connection_pool_name", "ledger")) > 0);
        Assert.DoesNotContain(region.PostgresPassword, silo.Text, StringComparison.Ordinal);
        Assert.DoesNotContain(region.PostgresPassword, api.Text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null, HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized)]
    [InlineData(RunningRegion.TerminalKey, HttpStatusCode.Forbidden, HttpStatusCode.Unauthorized)]
    [InlineData(RunningRegion.AdminKey, HttpStatusCode.OK, HttpStatusCode.OK)]
    public async Task Metrics_need_an_admin_key(string? apiKey, HttpStatusCode fromApi, HttpStatusCode fromSilo)
    {
        using var toApi = RunningRegion.Client(region.ApiAddress, apiKey);
        using var toSilo = RunningRegion.Client(region.Silos[0].Address, apiKey);

        var api = await toApi.GetAsync("/metrics");
        var silo = await toSilo.GetAsync("/metrics");

        // The silos know the configured admin keys only: a terminal key is unknown there.
        Assert.Equal((fromApi, fromSilo), (api.StatusCode, silo.StatusCode));
    }

    private static double Delta(PrometheusScrape before, PrometheusScrape after, params (string, string)[] labels) =>
        after.Sum("payments_decisions_total", labels) - before.Sum("payments_decisions_total", labels);

    private static async Task<PrometheusScrape> ScrapeAsync(Uri address)
    {
        using var scraper = RunningRegion.Client(address, RunningRegion.AdminKey);
        return new PrometheusScrape(await scraper.GetStringAsync("/metrics"));
    }

    /// <summary>The account's payments as the ledger holds them: "status/decline_reason", in order.</summary>
    private async Task<List<string>> LedgerOutcomesAsync(string accountId)
    {
        await using var connection = await region.Servers.OpenPostgresAsync();
        await using var command = new NpgsqlCommand(
            "SELECT status || '/' || coalesce(decline_reason, '') FROM ledger WHERE account_id = @account AND kind = 'payment' ORDER BY 1",
            connection);
        command.Parameters.AddWithValue("account", accountId);
        var outcomes = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            outcomes.Add(reader.GetString(0));
        }

        return outcomes;
    }
}
