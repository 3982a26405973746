using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Payments.Api.Tests;
using Payments.Integration.Tests.Infrastructure;
using ApiAssembly = Payments.Api.Routing.ApiRegion;

namespace Payments.Integration.Tests.Regions;

/// <summary>The operator's routing switch in the real PostgreSQL: set on one API replica, obeyed by another, audited.</summary>
[Collection(RealServersCollection.Name)]
public sealed class DatabaseRoutingSwitchTests(RealServers servers) : IAsyncLifetime
{
    private static readonly TimeSpan RefreshDeadline = TimeSpan.FromSeconds(15);

    // A service of its own: the switch is keyed by service id, so this test steers no other deployment on the database.
    private readonly string _serviceId = "payments-routing-" + Guid.NewGuid().ToString("N")[..8];
    private readonly List<WebApplicationFactory<ApiAssembly>> _replicas = [];
    private PostgresApi _api = null!;

    public async Task InitializeAsync() => _api = await PostgresApi.StartAsync(servers);

    public async Task DisposeAsync()
    {
        foreach (var replica in _replicas)
        {
            await replica.DisposeAsync();
        }

        await _api.DisposeAsync();
    }

    [Fact]
    public async Task Switch_set_on_one_replica_is_obeyed_by_another_and_audited()
    {
        var started = await servers.ScalarAsync<DateTime>("SELECT now()");
        var (first, second) = (Replica(), Replica());
        // An account nobody opened: region-a's cluster answers 404 for it while it takes traffic, and only then.
        var accountId = ApiCalls.NewAccountId();
        Assert.Equal(HttpStatusCode.NotFound, (await second.GetAsync($"/v1/accounts/{accountId}")).StatusCode);

        var put = await first.PutAsJsonAsync("/v1/regions/region-a/routing", new { forceFailover = true });
        var seen = await WaitForSwitchAsync(second, forced: true);
        var steered = await second.GetAsync($"/v1/accounts/{accountId}");
        await first.PutAsJsonAsync("/v1/regions/region-a/routing", new { forceFailover = false });
        var released = await WaitForSwitchAsync(second, forced: false);

        Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        Assert.Equal("dev-admin", (string?)seen["routingSetBy"]);
        // Its only cluster is forced out: the replica that did not take the PUT sends region-a's accounts nowhere.
        Assert.Equal(HttpStatusCode.ServiceUnavailable, steered.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await second.GetAsync($"/v1/accounts/{accountId}")).StatusCode);
        Assert.NotNull(released["routingSetAt"]);
        Assert.Equal(1L, await servers.ScalarAsync<long>(
            "SELECT count(*) FROM region_routing WHERE service_id = @service AND region = 'region-a' AND NOT force_failover", ("service", _serviceId)));
        // Integration tests run one at a time: the audit rows since the start are this test's.
        Assert.Equal("true,false", await servers.ScalarAsync<string>(
            """
            SELECT string_agg(after->>'forceFailover', ',' ORDER BY id) FROM admin_audit
            WHERE action = 'region_routing.updated' AND target = 'region:region-a' AND actor = 'dev-admin' AND at >= @started
            """, ("started", started)));
    }

    private HttpClient Replica()
    {
        var replica = _api.Instance().WithWebHostBuilder(web => web.UseSetting("Payments:ServiceId", _serviceId));
        _replicas.Add(replica);
        var client = replica.CreateClient();
        client.DefaultRequestHeaders.Authorization = new("Bearer", PostgresApi.BootstrapAdminKey);
        return client;
    }

    private static async Task<JsonObject> WaitForSwitchAsync(HttpClient replica, bool forced)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var list = await replica.GetFromJsonAsync<JsonObject>("/v1/regions");
            var region = list!["items"]!.AsArray().Single(r => (string?)r!["region"] == "region-a")!.AsObject();
            if ((bool)region["forcedFailover"]! == forced)
            {
                return region;
            }

            Assert.True(clock.Elapsed < RefreshDeadline, $"the other replica did not see forceFailover={forced} within {RefreshDeadline}");
            await Task.Delay(100);
        }
    }
}
