using System.Net;

namespace Payments.Api.Tests;

/// <summary>What the API shows of an account that a change would move: balance, version, status, ceilings, spending, history.</summary>
public static class AccountFingerprint
{
    public static async Task<string> TakeAsync(HttpClient admin, string accountId)
    {
        var view = await admin.GetAccountAsync(accountId);
        var limits = view["limits"]!;
        var parts = new List<string?>
        {
            (string?)view["status"], $"{view["balance"]}", $"{view["version"]}", $"{limits["perPayment"]}",
        };
        parts.AddRange(new[] { "daily", "weekly", "monthly" }.Select(p => $"{limits[p]!["limit"]}/{limits[p]!["spent"]}"));
        for (string? cursor = null, query = "?limit=200"; ; query = $"?limit=200&before={cursor}")
        {
            var response = await admin.GetAsync($"/v1/accounts/{accountId}/payments{query}");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var page = await response.JsonAsync();
            parts.Add(page["items"]!.ToJsonString());
            if ((cursor = (string?)page["next"]) is null)
            {
                return string.Join(" | ", parts);
            }
        }
    }
}
