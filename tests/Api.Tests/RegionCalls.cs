using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace Payments.Api.Tests;

/// <summary>Region rules requests, written against the JSON contract (api.md).</summary>
public static class RegionCalls
{
    public const string Rules = "/v1/regions/region-a/rules";

    public static async Task<JsonObject> GetRulesAsync(this HttpClient admin)
    {
        var response = await admin.GetAsync(Rules);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.JsonAsync();
    }

    /// <summary>The rules as read, with <paramref name="change"/> applied: what an operator sends back.</summary>
    public static JsonObject Edited(this JsonObject rules, Action<JsonObject> change)
    {
        var copy = rules.DeepClone().AsObject();
        change(copy);
        return copy;
    }

    public static JsonObject BlockingAlso(this JsonObject rules, string mcc) =>
        rules.Edited(r => r["blockedMccs"]!.AsArray().Add(mcc));

    public static Task<HttpResponseMessage> PutRulesAsync(this HttpClient admin, JsonObject body, string path = Rules) =>
        admin.PutAsJsonAsync(path, body);

    /// <summary>A merchant category no other test blocks or pays with.</summary>
    public static string FreshMcc() => Random.Shared.Next(6100, 6999).ToString(System.Globalization.CultureInfo.InvariantCulture);
}
