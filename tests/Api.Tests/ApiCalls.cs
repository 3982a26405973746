using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Payments.Api.Tests;

/// <summary>The requests the tests make again and again, written against the JSON contract (api.md), not our types.</summary>
public static class ApiCalls
{
    public static string NewAccountId() => "acc-" + Guid.NewGuid().ToString("N")[..20];

    public static async Task<string> CreateAccountAsync(this HttpClient admin, long initialBalance = 100_000, object? limits = null)
    {
        var id = NewAccountId();
        var response = await admin.PostAsJsonAsync("/v1/accounts",
            new { accountId = id, region = "region-a", currency = "EUR", initialBalance, limits });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return id;
    }

    public static Task<HttpResponseMessage> PayAsync(
        this HttpClient terminal, string accountId, long amount, string? key = null, string mcc = "5411",
        string currency = "EUR", string merchant = "Boulangerie du Port") =>
        terminal.PostJsonAsync($"/v1/accounts/{accountId}/payments", new { amount, currency, merchant, mcc }, key);

    /// <summary>POSTs <paramref name="body"/> as JSON, with an Idempotency-Key when one is given.</summary>
    public static Task<HttpResponseMessage> PostJsonAsync(this HttpClient client, string path, object body, string? key = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = JsonContent.Create(body) };
        if (key is not null)
        {
            request.Headers.Add("Idempotency-Key", key);
        }

        return client.SendAsync(request);
    }

    public static async Task<JsonObject> JsonAsync(this HttpResponseMessage response) =>
        JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject();

    public static async Task<JsonObject> GetAccountAsync(this HttpClient client, string accountId)
    {
        var response = await client.GetAsync($"/v1/accounts/{accountId}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.JsonAsync();
    }

    /// <summary>Asserts a problem+json answer with the contract's status and code.</summary>
    public static async Task<JsonObject> AssertProblemAsync(this HttpResponseMessage response, HttpStatusCode status, string code)
    {
        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.JsonAsync();
        Assert.Equal(code, (string?)problem["code"]);
        Assert.Equal((int)status, (int?)problem["status"]);
        Assert.False(string.IsNullOrEmpty((string?)problem["title"]));
        Assert.DoesNotContain("   at ", problem.ToJsonString(new JsonSerializerOptions()));
        return problem;
    }
}
