using System.Net;
using System.Net.Http.Json;
using Payments.Integration.Tests.Infrastructure;

namespace Payments.Integration.Tests.Observability;

/// <summary>The REST calls these tests make against a running region, written against the JSON contract.</summary>
public static class RegionCalls
{
    public static string NewAccountId() => "obs-acc-" + Guid.NewGuid().ToString("N")[..16];

    public static async Task<string> OpenAccountAsync(this RunningRegion region, long initialBalance)
    {
        using var admin = RunningRegion.Client(region.ApiAddress, RunningRegion.AdminKey);
        var id = NewAccountId();
        var response = await admin.PostAsJsonAsync("/v1/accounts",
            new { accountId = id, region = region.Region, currency = "EUR", initialBalance });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return id;
    }

    public static async Task<HttpResponseMessage> PayAsync(this RunningRegion region, string accountId, long amount, string mcc = "5411")
    {
        using var terminal = RunningRegion.Client(region.ApiAddress, RunningRegion.TerminalKey);
        var request = new HttpRequestMessage(HttpMethod.Post, $"/v1/accounts/{accountId}/payments")
        {
            Content = JsonContent.Create(new { amount, currency = "EUR", merchant = "Observatory café", mcc }),
        };
        request.Headers.Add("Idempotency-Key", "obs-pay-" + Guid.NewGuid().ToString("N"));
        var response = await terminal.SendAsync(request);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return response;
    }
}
