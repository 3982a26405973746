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
            await OpenOneAsync(admin, accountId, new
            {
                accountId,
                region,
                currency = "EUR",
                initialBalance,
                limits = new { perPayment, daily = ceilings.Daily, weekly = ceilings.Weekly, monthly = ceilings.Monthly },
            });
        }

        return ids;
    }

    // A region that has just started, or a store that is still settling after the previous test's fault, may answer
    // 503: the open is tried again. The ids are fresh, so a 409 after a 503 is this test's own earlier attempt.
    private static async Task OpenOneAsync(HttpClient admin, string accountId, object body)
    {
        const int attempts = 20;
        for (var attempt = 1; ; attempt++)
        {
            using var created = await admin.PostAsJsonAsync("/v1/accounts", body);
            var retried = attempt > 1;
            if (created.StatusCode == HttpStatusCode.Created || (retried && created.StatusCode == HttpStatusCode.Conflict))
            {
                return;
            }

            if (created.StatusCode != HttpStatusCode.ServiceUnavailable || attempt == attempts)
            {
                throw new InvalidOperationException(
                    $"Opening {accountId} answered {created.StatusCode} (attempt {attempt}): {await created.Content.ReadAsStringAsync()}");
            }

            await Task.Delay(TimeSpan.FromSeconds(1));
        }
    }
}
