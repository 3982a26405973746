using System.Net;
using System.Net.Http.Json;

namespace Payments.Integration.Tests.Infrastructure;

/// <summary>Fresh accounts for one test, opened through the API with the ceilings the test audits.</summary>
public static class TestAccounts
{
    /// <summary>Opens <paramref name="count"/> accounts in <paramref name="region"/> with fresh ids starting with <paramref name="prefix"/>.</summary>
    public static async Task<IReadOnlyList<string>> OpenAsync(
        AppProcess api, string prefix, int count, long initialBalance, long perPayment, Ceilings ceilings, string region = "region-a")
    {
        using var admin = api.CreateClient(PaymentsTopology.AdminKey);
        var run = Guid.NewGuid().ToString("N")[..8];
        var ids = Enumerable.Range(1, count).Select(i => $"{prefix}-{run}-{i}").ToList();
        foreach (var accountId in ids)
        {
            using var created = await admin.PostAsJsonAsync("/v1/accounts", new
            {
                accountId,
                region,
                currency = "EUR",
                initialBalance,
                limits = new { perPayment, daily = ceilings.Daily, weekly = ceilings.Weekly, monthly = ceilings.Monthly },
            });
            if (created.StatusCode != HttpStatusCode.Created)
            {
                throw new InvalidOperationException(
                    $"Opening {accountId} answered {created.StatusCode}: {await created.Content.ReadAsStringAsync()}");
            }
        }

        return ids;
    }
}
