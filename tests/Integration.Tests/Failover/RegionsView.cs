using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Payments.Integration.Tests.Infrastructure;

namespace Payments.Integration.Tests.Failover;

/// <summary>An API's <c>GET /v1/regions</c>: which cluster serves each region's accounts as that API sees it.</summary>
public static class RegionsView
{
    /// <summary>Waits until <paramref name="api"/> serves <paramref name="region"/>'s accounts from <paramref name="servedBy"/>'s cluster.</summary>
    public static async Task WaitUntilServedByAsync(AppProcess api, string region, string servedBy, TimeSpan timeout)
    {
        using var admin = api.CreateClient(PaymentsTopology.AdminKey);
        var waited = Stopwatch.StartNew();
        string? last = null;
        while (waited.Elapsed < timeout)
        {
            var view = await admin.GetFromJsonAsync<JsonObject>("/v1/regions");
            var entry = view!["items"]!.AsArray().Single(item => (string?)item!["region"] == region)!;
            last = entry.ToJsonString();
            var serving = (string?)entry["servedBy"] == servedBy;
            if (serving && (region != servedBy || (bool)entry["takesTraffic"]!))
            {
                return;
            }

            await Task.Delay(200);
        }

        throw new TimeoutException($"{api.Name} did not serve {region} from {servedBy} within {timeout}; last view: {last}");
    }

    /// <summary>Forces (or releases) the failover of <paramref name="region"/>'s accounts on <paramref name="api"/>.</summary>
    public static async Task ForceFailoverAsync(AppProcess api, string region, bool forced)
    {
        using var admin = api.CreateClient(PaymentsTopology.AdminKey);
        var response = await admin.PutAsJsonAsync($"/v1/regions/{region}/routing", new { forceFailover = forced });
        response.EnsureSuccessStatusCode();
    }
}
