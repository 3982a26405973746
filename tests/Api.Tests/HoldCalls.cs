using System.Net;

namespace Payments.Api.Tests;

/// <summary>Authorization (hold) requests, written against the JSON contract (api.md), not our types.</summary>
public static class HoldCalls
{
    public const string Hotel = "Hôtel du Lac";

    public static Task<HttpResponseMessage> AuthorizeAsync(
        this HttpClient terminal, string accountId, long amount, string? key = null, string merchant = Hotel, string mcc = "7011",
        string currency = "EUR") =>
        terminal.PostJsonAsync($"/v1/accounts/{accountId}/authorizations", new { amount, currency, merchant, mcc }, key);

    /// <summary>An approved authorization's id (asserts the 201).</summary>
    public static async Task<string> AuthorizedAsync(this HttpClient terminal, string accountId, long amount, string? key = null)
    {
        var response = await terminal.AuthorizeAsync(accountId, amount, key);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var authorization = await response.JsonAsync();
        Assert.Equal("pending", (string?)authorization["status"]);
        return (string)authorization["authorizationId"]!;
    }

    public static Task<HttpResponseMessage> CaptureAsync(
        this HttpClient terminal, string accountId, string authorizationId, object body, string? key = null) =>
        terminal.PostJsonAsync($"/v1/accounts/{accountId}/authorizations/{authorizationId}/captures", body, key);

    public static Task<HttpResponseMessage> IncrementAsync(
        this HttpClient terminal, string accountId, string authorizationId, long amount, string? key = null) =>
        terminal.PostJsonAsync($"/v1/accounts/{accountId}/authorizations/{authorizationId}/increments", new { amount }, key);

    public static Task<HttpResponseMessage> RefundAsync(
        this HttpClient terminal, string accountId, long amount, string? paymentId, string? key = null, string merchant = "Boulangerie du Port") =>
        terminal.PostJsonAsync($"/v1/accounts/{accountId}/refunds", new { amount, currency = "EUR", merchant, mcc = "5411", paymentId }, key);

    public static Task<HttpResponseMessage> ReverseAsync(
        this HttpClient terminal, string accountId, string authorizationId, object body, string? key = null) =>
        terminal.PostJsonAsync($"/v1/accounts/{accountId}/authorizations/{authorizationId}/reversals", body, key);

    public static async Task<System.Text.Json.Nodes.JsonObject> GetAuthorizationAsync(this HttpClient client, string accountId, string authorizationId)
    {
        var response = await client.GetAsync($"/v1/accounts/{accountId}/authorizations/{authorizationId}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.JsonAsync();
    }
}
