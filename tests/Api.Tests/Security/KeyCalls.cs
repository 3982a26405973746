using System.Net;
using System.Net.Http.Json;

namespace Payments.Api.Tests;

/// <summary>Issuing and revoking keys through the admin API, as the back office does.</summary>
public static class KeyCalls
{
    public static string NewKeyName(string role) => $"{role}-{Guid.NewGuid():N}";

    /// <summary>Issues a key; returns its id and the secret key.</summary>
    public static async Task<(string Id, string Key)> IssueKeyAsync(this HttpClient admin, string role, string? merchant = null, string? name = null)
    {
        var response = await admin.PostAsJsonAsync("/v1/api-keys", new { name = name ?? NewKeyName(role), role, merchant });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var created = await response.JsonAsync();
        return ((string)created["id"]!, (string)created["key"]!);
    }

    public static async Task RevokeKeyAsync(this HttpClient admin, string id) =>
        Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync($"/v1/api-keys/{id}")).StatusCode);

    /// <summary>A full set of matrix callers issued through the API, the revoked ones revoked.</summary>
    public static async Task<MatrixKeys> IssueMatrixKeysAsync(this HttpClient admin, string issuedAdmin)
    {
        var terminal = await admin.IssueKeyAsync("terminal");
        var scoped = await admin.IssueKeyAsync("terminal", merchant: "Boulangerie du Port");
        var network = await admin.IssueKeyAsync("network");
        var revokedAdmin = await admin.IssueKeyAsync("admin");
        var revokedTerminal = await admin.IssueKeyAsync("terminal");
        await admin.RevokeKeyAsync(revokedAdmin.Id);
        await admin.RevokeKeyAsync(revokedTerminal.Id);
        return new MatrixKeys(issuedAdmin, terminal.Key, scoped.Key, network.Key, revokedAdmin.Key, revokedTerminal.Key);
    }
}
