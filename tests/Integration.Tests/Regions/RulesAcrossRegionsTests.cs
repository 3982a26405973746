using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Npgsql;
using Payments.Integration.Tests.Infrastructure;
using Payments.Integration.Tests.Settlement;
using Xunit.Abstractions;

namespace Payments.Integration.Tests.Regions;

/// <summary>
/// Real silos and APIs of both regions. A rules change made through region-a's API reaches an account served by
/// region-b's cluster: both clusters hold the rules of every region, and the store is shared. The region whose rules
/// change is one of the test's own, configured on both silos, so the shared region-a and region-b rules never move.
/// </summary>
[Collection(RealServersCollection.Name)]
public sealed class RulesAcrossRegionsTests(RealServers servers, ITestOutputHelper output)
{
    private static readonly TimeSpan Contract = TimeSpan.FromSeconds(5);

    [Fact]
    public async Task Change_made_in_one_region_is_in_force_in_the_other_region_within_five_seconds()
    {
        var region = LedgerRows.NewRegion();
        var settings = new Dictionary<string, string>
        {
            [$"Payments__Regions__{region}__TimeZone"] = "Europe/Paris",
            [$"Payments__Regions__{region}__ResetHour"] = "3",
            [$"Payments__Regions__{region}__Currency"] = "EUR",
        };
        await using var topology = new PaymentsTopology(servers);
        await Task.WhenAll(topology.StartSiloAsync("region-a", settings), topology.StartSiloAsync("region-b", settings));
        var (apiA, apiB) = (await topology.StartApiAsync("region-a"), await topology.StartApiAsync("region-b"));
        var adminA = apiA.CreateClient(PaymentsTopology.AdminKey);
        var adminB = apiB.CreateClient(PaymentsTopology.AdminKey);
        var terminalB = apiB.CreateClient(PaymentsTopology.TerminalKey);
        var accountId = $"acc-{Guid.NewGuid():N}"[..24];
        Assert.Equal(HttpStatusCode.Created, (await adminB.PostAsJsonAsync("/v1/accounts",
            new { accountId, region, currency = "EUR", initialBalance = 10_000 })).StatusCode);
        Assert.Equal("approved", await PayAsync(terminalB, accountId));
        var rules = JsonNode.Parse(await adminA.GetStringAsync($"/v1/regions/{region}/rules"))!.AsObject();
        rules["blockedMccs"]!.AsArray().Add("6012");

        var put = await adminA.PutAsJsonAsync($"/v1/regions/{region}/rules", rules);
        var sincePut = Stopwatch.StartNew();
        string? decision;
        do
        {
            decision = await PayAsync(terminalB, accountId);
        }
        while (decision != "category_blocked" && sincePut.Elapsed < Contract + TimeSpan.FromSeconds(5));
        var propagation = sincePut.Elapsed;

        output.WriteLine($"Change through region-a in force in region-b after {propagation.TotalMilliseconds:F0} ms");
        Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        Assert.Equal("category_blocked", decision);
        Assert.True(propagation <= Contract, $"The change took {propagation} to reach region-b.");
        Assert.Equal(("dev-admin", 2L), await LastAuditAsync(region));
        var regions = JsonNode.Parse(await adminA.GetStringAsync("/v1/regions"))!["items"]!.AsArray();
        Assert.Equal(["region-a:True", "region-b:True"], regions.Select(r => $"{r!["region"]}:{(bool)r["connected"]!}"));
    }

    /// <summary>Pays 1 with MCC 6012 and returns the decline reason, or "approved".</summary>
    private static async Task<string?> PayAsync(HttpClient terminal, string accountId)
    {
        var response = await terminal.PostAsJsonAsync($"/v1/accounts/{accountId}/payments",
            new { amount = 1, currency = "EUR", merchant = "Bureau de change", mcc = "6012" });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var payment = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        return (string?)payment["declineReason"] ?? (string?)payment["status"];
    }

    private async Task<(string Actor, long Version)> LastAuditAsync(string region)
    {
        await using var db = NpgsqlDataSource.Create(servers.PostgresConnectionString);
        await using var command = db.CreateCommand(
            "SELECT actor, (after->>'version')::bigint FROM admin_audit WHERE target = @target AND action = 'region_rules.updated' ORDER BY id DESC LIMIT 1");
        command.Parameters.AddWithValue("target", $"region:{region}");
        await using var reader = await command.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync());
        return (reader.GetString(0), reader.GetInt64(1));
    }
}
