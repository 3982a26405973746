using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;

namespace Payments.Drill;

/// <summary>Opens the drill's accounts through each region's API, as the back office would.</summary>
public static class AccountSetup
{
    /// <summary>Opens <paramref name="perRegion"/> accounts in each region, retrying while the region's API starts.</summary>
    public static async Task<IReadOnlyList<DrillAccount>> OpenAsync(
        IReadOnlyDictionary<string, Uri> apis, string adminKey, string prefix, int perRegion, long initialBalance, long dailyLimit)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", adminKey);
        var accounts = new List<DrillAccount>();
        foreach (var (region, api) in apis.OrderBy(a => a.Key, StringComparer.Ordinal))
        {
            for (var i = 1; i <= perRegion; i++)
            {
                var account = new DrillAccount($"{prefix}-{region[^1..]}{i:D2}", region);
                var body = new
                {
                    accountId = account.AccountId, region, currency = "EUR", initialBalance,
                    limits = new { perPayment = 50_000, daily = dailyLimit, weekly = dailyLimit * 7, monthly = dailyLimit * 31 },
                };
                await OpenOneAsync(http, new Uri(api, "/v1/accounts"), body);
                accounts.Add(account);
            }
        }

        return accounts;
    }

    private static async Task OpenOneAsync(HttpClient http, Uri uri, object body)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                using var response = await http.PostAsJsonAsync(uri, body);
                if (response.StatusCode is HttpStatusCode.Created or HttpStatusCode.Conflict)
                {
                    return;
                }

                if (attempt >= 20 || (int)response.StatusCode < 500)
                {
                    throw new InvalidOperationException($"Opening an account answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
                }
            }
            catch (HttpRequestException) when (attempt < 20)
            {
                // The API is still starting.
            }

            await Task.Delay(500);
        }
    }
}
