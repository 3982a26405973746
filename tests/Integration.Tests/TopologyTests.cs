using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Payments.Integration.Tests.Infrastructure;

namespace Payments.Integration.Tests;

/// <summary>The process topology itself: a region of two silos and an API serves a durable payment.</summary>
[Collection(RealServersCollection.Name)]
public sealed class TopologyTests(RealServers servers)
{
    [Fact]
    public async Task A_region_of_two_silos_records_a_payment_in_the_ledger()
    {
        await using var topology = new PaymentsTopology(servers);
        await topology.StartSiloAsync("region-a");
        await topology.StartSiloAsync("region-a");
        var api = await topology.StartApiAsync("region-a");
        var accountId = "topo-" + Guid.NewGuid().ToString("N")[..12];

        var created = await api.CreateClient(PaymentsTopology.AdminKey).PostAsJsonAsync("/v1/accounts",
            new { accountId, region = "region-a", currency = "EUR", initialBalance = 10_000 });
        var terminal = api.CreateClient(PaymentsTopology.TerminalKey);
        terminal.DefaultRequestHeaders.Add("Idempotency-Key", "topo-pay-1");
        var paid = await terminal.PostAsJsonAsync($"/v1/accounts/{accountId}/payments",
            new { amount = 2_500, currency = "EUR", merchant = "Topology Bakery", mcc = "5411" });

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal(HttpStatusCode.Created, paid.StatusCode);
        Assert.Equal("approved", (string?)JsonNode.Parse(await paid.Content.ReadAsStringAsync())!["status"]);
        await using var connection = await servers.OpenPostgresAsync();
        await using var query = new Npgsql.NpgsqlCommand(
            "SELECT balance_after FROM ledger WHERE account_id = @id AND entry_id = 'topo-pay-1'", connection);
        query.Parameters.AddWithValue("id", accountId);
        Assert.Equal(7_500L, await query.ExecuteScalarAsync());
    }
}
