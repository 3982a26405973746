using System.Diagnostics;
using System.Net;
using System.Text.Json.Nodes;

namespace Payments.Integration.Tests.Infrastructure;

/// <summary>Reads through the API that wait out a cluster that is still recovering (503 or no answer).</summary>
public static class ApiReads
{
    private static readonly TimeSpan GiveUpAfter = TimeSpan.FromMinutes(2);

    /// <summary>GETs <paramref name="path"/> until the answer is neither a 503 nor missing; returns its status and body.</summary>
    public static async Task<(HttpStatusCode Status, JsonNode? Body)> GetUntilAnsweredAsync(this HttpClient client, string path)
    {
        var waited = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                using var response = await client.GetAsync(path);
                if (response.StatusCode != HttpStatusCode.ServiceUnavailable)
                {
                    var text = await response.Content.ReadAsStringAsync();
                    return (response.StatusCode, text.Length == 0 ? null : JsonNode.Parse(text));
                }
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException && waited.Elapsed < GiveUpAfter)
            {
                // No answer yet: the API or its cluster is still coming back.
            }

            if (waited.Elapsed > GiveUpAfter)
            {
                throw new TimeoutException($"GET {path} still unavailable after {GiveUpAfter}.");
            }

            await Task.Delay(200);
        }
    }

    /// <summary>The account view and the first page of its payments, as JSON text, once the API answers them.</summary>
    public static async Task<(string Account, string Payments)> ReadAccountAsync(this HttpClient client, string accountId)
    {
        var (accountStatus, account) = await client.GetUntilAnsweredAsync($"/v1/accounts/{accountId}");
        var (paymentsStatus, payments) = await client.GetUntilAnsweredAsync($"/v1/accounts/{accountId}/payments?limit=200");
        return accountStatus == HttpStatusCode.OK && paymentsStatus == HttpStatusCode.OK
            ? (account!.ToJsonString(), payments!.ToJsonString())
            : throw new InvalidOperationException($"Account {accountId} answered {accountStatus} / {paymentsStatus}.");
    }
}
