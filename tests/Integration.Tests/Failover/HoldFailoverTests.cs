using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Payments.Integration.Tests.Infrastructure;

namespace Payments.Integration.Tests.Failover;

/// <summary>
/// An authorization made in region-a is captured through region-b's API while region-a's silos are down: region-b's
/// cluster loads the account from the shared ledger, the hold it finds is the one region-a recorded, and the ledger
/// has the capture once and the hold released once, however often the terminal retries with its Idempotency-Key.
/// </summary>
[Collection(RealServersCollection.Name)]
public sealed class HoldFailoverTests(RealServers servers)
{
    private const long InitialBalance = 100_000;
    private static readonly TimeSpan Settle = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Authorization_made_in_region_a_is_captured_through_region_b_during_its_failover_once()
    {
        await using var topology = new PaymentsTopology(servers);
        var siloA = await topology.StartSiloAsync("region-a");
        await topology.StartSiloAsync("region-b");
        var apiA = await topology.StartApiAsync("region-a");
        var apiB = await topology.StartApiAsync("region-b");
        var accountId = (await TestAccounts.OpenAsync(apiA, "hold-fo", 1, InitialBalance, 50_000, new Ceilings(100_000, 300_000, 800_000)))[0];
        await RegionsView.WaitUntilServedByAsync(apiB, "region-a", "region-a", Settle);
        using var terminalA = apiA.CreateClient(PaymentsTopology.TerminalKey);
        using var terminalB = apiB.CreateClient(PaymentsTopology.TerminalKey);
        var authorizationId = $"auth-{Guid.NewGuid():N}"[..20];
        var authorized = await PostUntilAnsweredAsync(terminalA, $"/v1/accounts/{accountId}/authorizations",
            new { amount = 12_000, currency = "EUR", merchant = "Hotel du Lac", mcc = "7011" }, authorizationId);
        Assert.Equal((HttpStatusCode.Created, "pending", "region-a"),
            (authorized.Status, (string?)authorized.Body["status"], (string?)authorized.Body["decidedBy"]));

        siloA.Kill();
        await RegionsView.WaitUntilServedByAsync(apiB, "region-a", "region-b", Settle);
        var captureId = $"cap-{Guid.NewGuid():N}"[..20];
        var capturePath = $"/v1/accounts/{accountId}/authorizations/{authorizationId}/captures";
        var captured = await PostUntilAnsweredAsync(terminalB, capturePath, new { amount = 11_500, final = true }, captureId);
        var retried = await PostUntilAnsweredAsync(terminalB, capturePath, new { amount = 11_500, final = true }, captureId);

        Assert.Equal((HttpStatusCode.Created, "region-b", 88_500L),
            (captured.Status, (string?)captured.Body["decidedBy"], (long)captured.Body["balanceAfter"]!));
        Assert.Equal(("closed", 0L, 11_500L, 500L), ((string?)captured.Body["authorization"]!["status"],
            (long)captured.Body["authorization"]!["held"]!, (long)captured.Body["authorization"]!["captured"]!,
            (long)captured.Body["authorization"]!["released"]!));
        Assert.Equal(HttpStatusCode.OK, retried.Status);
        Assert.Equal(captured.Body.ToJsonString(), retried.Body.ToJsonString());
        var rows = ("account", (object)accountId);
        var hold = ("authorization", (object)authorizationId);
        Assert.Equal(1L, await servers.ScalarAsync<long>(
            "SELECT count(*) FROM ledger WHERE account_id = @account AND kind = 'capture'", rows));
        Assert.Equal(11_500L, await servers.ScalarAsync<long>(
            "SELECT sum(amount)::bigint FROM ledger WHERE account_id = @account AND kind = 'capture'", rows));
        Assert.Equal(1L, await servers.ScalarAsync<long>(
            "SELECT count(*) FROM ledger WHERE account_id = @account AND authorization_id = @authorization AND hold_closed", rows, hold));
        Assert.Equal(0L, await servers.ScalarAsync<long>(
            "SELECT count(*) FROM ledger WHERE account_id = @account AND kind IN ('reversal', 'expiry')", rows));
        Assert.Equal(InitialBalance - 11_500, await servers.ScalarAsync<long>(
            "SELECT balance_after FROM ledger WHERE account_id = @account ORDER BY seq DESC LIMIT 1", rows));
        using var adminB = apiB.CreateClient(PaymentsTopology.AdminKey);
        var view = await adminB.GetFromJsonAsync<JsonObject>($"/v1/accounts/{accountId}");
        Assert.Equal((InitialBalance - 11_500, 0L, InitialBalance - 11_500),
            ((long)view!["balance"]!, (long)view["held"]!, (long)view["available"]!));
    }

    // While the failover settles an answer may be 503 (no decision given now): the terminal retries with the same key,
    // as the contract tells it to, until it gets a decision.
    private static async Task<(HttpStatusCode Status, JsonObject Body)> PostUntilAnsweredAsync(HttpClient client, string path, object body, string key)
    {
        var waited = Stopwatch.StartNew();
        while (true)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = JsonContent.Create(body) };
            request.Headers.Add("Idempotency-Key", key);
            using var response = await client.SendAsync(request);
            if (response.StatusCode != HttpStatusCode.ServiceUnavailable || waited.Elapsed > Settle)
            {
                var text = await response.Content.ReadAsStringAsync();
                Assert.True(response.IsSuccessStatusCode, $"{path} answered {(int)response.StatusCode}: {text}");
                return (response.StatusCode, JsonNode.Parse(text)!.AsObject());
            }

            await Task.Delay(TimeSpan.FromMilliseconds(500));
        }
    }
}
