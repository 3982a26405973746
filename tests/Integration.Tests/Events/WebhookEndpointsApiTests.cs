using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Payments.Api.Tests;
using Payments.Integration.Tests.Infrastructure;

namespace Payments.Integration.Tests.Events;

/// <summary>
/// The webhook endpoints API on the real PostgreSQL: the secret shown once and stored encrypted, the URLs refused
/// (server-side request forgery; loopback, refused outside Development only, is covered by UrlPolicyTests), changes,
/// removal, and the contract's error codes.
/// </summary>
[Collection(RealServersCollection.Name)]
public sealed class WebhookEndpointsApiTests(RealServers servers) : IAsyncLifetime
{
    // A public address, so registration needs no name resolution (the test machine has no DNS to the internet).
    private const string PublicUrl = "https://93.184.215.14/hook";
    private PostgresApi _api = null!;
    private HttpClient _admin = null!;

    public async Task InitializeAsync()
    {
        _api = await PostgresApi.StartAsync(servers);
        _admin = _api.Client(PostgresApi.BootstrapAdminKey);
    }

    public async Task DisposeAsync() => await _api.DisposeAsync();

    [Fact]
    public async Task A_new_endpoint_answers_its_secret_once_and_the_store_keeps_it_encrypted()
    {
        var created = await _admin.PostAsJsonAsync("/v1/webhook-endpoints", new { url = PublicUrl, types = new[] { "payment.*" }, description = "fraud" });

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var endpoint = await created.Content.ReadFromJsonAsync<JsonObject>();
        var (id, secret) = ((string)endpoint!["id"]!, (string)endpoint["secret"]!);
        Assert.Equal($"/v1/webhook-endpoints/{id}", created.Headers.Location?.OriginalString);
        Assert.Equal("enabled", (string)endpoint["status"]!);
        Assert.StartsWith("whsec_", secret);
        Assert.True(Convert.FromBase64String(secret["whsec_".Length..]).Length >= 24);
        var read = await _admin.GetFromJsonAsync<JsonObject>($"/v1/webhook-endpoints/{id}");
        Assert.Null(read!["secret"]);
        Assert.Equal(PublicUrl, (string)read["url"]!);
        var list = await _admin.GetStringAsync("/v1/webhook-endpoints");
        Assert.Contains(id, list);
        Assert.DoesNotContain(secret["whsec_".Length..], list);
        var stored = await StoredSecretAsync(id);
        Assert.False(ContainsBytes(stored, Encoding.UTF8.GetBytes(secret["whsec_".Length..])));
        Assert.False(ContainsBytes(stored, Convert.FromBase64String(secret["whsec_".Length..])));
    }

    [Theory]
    [InlineData("http://93.184.215.14/hook")]
    [InlineData("ftp://93.184.215.14/hook")]
    [InlineData("https://10.1.2.3/hook")]
    [InlineData("https://172.16.0.1/hook")]
    [InlineData("https://192.168.1.1/hook")]
    [InlineData("https://169.254.169.254/latest/meta-data")]
    [InlineData("https://100.100.100.200/latest/meta-data")]
    [InlineData("https://[fd00:ec2::254]/latest/meta-data")]
    [InlineData("https://0.0.0.0/hook")]
    [InlineData("https://user:password@93.184.215.14/hook")]
    [InlineData("not a url")]
    public async Task A_url_that_is_not_https_or_reaches_a_private_link_local_or_metadata_address_is_refused(string url)
    {
        var response = await _admin.PostAsJsonAsync("/v1/webhook-endpoints", new { url, types = new[] { "payment.*" } });

        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest, "validation_failed");
        Assert.NotNull(problem["errors"]!["url"]);
    }

    [Fact]
    public async Task A_change_to_a_refused_url_is_refused_and_changes_nothing()
    {
        var id = await CreateAsync();

        var response = await _admin.PatchAsJsonAsync($"/v1/webhook-endpoints/{id}", new { url = "https://169.254.169.254/" });

        await response.AssertProblemAsync(HttpStatusCode.BadRequest, "validation_failed");
        Assert.Equal(PublicUrl, (string)(await _admin.GetFromJsonAsync<JsonObject>($"/v1/webhook-endpoints/{id}"))!["url"]!);
    }

    [Theory]
    [InlineData("""{ "url": "https://93.184.215.14/hook" }""", "types")]
    [InlineData("""{ "url": "https://93.184.215.14/hook", "types": [] }""", "types")]
    [InlineData("""{ "url": "https://93.184.215.14/hook", "types": ["payments.*"] }""", "types")]
    [InlineData("""{ "types": ["payment.*"] }""", "url")]
    public async Task A_body_without_url_or_with_unknown_types_is_refused(string body, string field)
    {
        var response = await _admin.PostAsync("/v1/webhook-endpoints", new StringContent(body, Encoding.UTF8, "application/json"));

        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest, "validation_failed");
        Assert.NotNull(problem["errors"]![field]);
    }

    [Fact]
    public async Task An_endpoint_is_changed_disabled_and_removed()
    {
        var id = await CreateAsync();

        var changed = await (await _admin.PatchAsJsonAsync($"/v1/webhook-endpoints/{id}",
            new { types = new[] { "deposit.created", "account.*" }, status = "disabled" })).Content.ReadFromJsonAsync<JsonObject>();
        var deleted = await _admin.DeleteAsync($"/v1/webhook-endpoints/{id}");
        var afterwards = await _admin.GetAsync($"/v1/webhook-endpoints/{id}");

        Assert.Equal(["deposit.created", "account.*"], changed!["types"]!.AsArray().Select(t => (string)t!));
        Assert.Equal("disabled", (string)changed["status"]!);
        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        await afterwards.AssertProblemAsync(HttpStatusCode.NotFound, "webhook_endpoint_not_found");
    }

    [Fact]
    public async Task Creating_changing_retrying_and_removing_an_endpoint_are_audited_without_its_secret()
    {
        var created = await (await _admin.PostAsJsonAsync("/v1/webhook-endpoints", new { url = PublicUrl, types = new[] { "payment.*" } }))
            .Content.ReadFromJsonAsync<JsonObject>();
        var (id, secret) = ((string)created!["id"]!, (string)created["secret"]!);
        await _admin.PatchAsJsonAsync($"/v1/webhook-endpoints/{id}", new { description = "fraud" });
        var refused = await _admin.PostAsync($"/v1/webhook-endpoints/{id}/deliveries/999999999/retry", null);
        await _admin.DeleteAsync($"/v1/webhook-endpoints/{id}");

        var audit = await AuditAsync($"webhook_endpoint:{id}");

        Assert.Equal(HttpStatusCode.NotFound, refused.StatusCode);
        Assert.Equal(["webhook_endpoint.created", "webhook_endpoint.updated", "webhook_endpoint.deleted"], audit.Select(a => a.Action));
        Assert.All(audit, a => Assert.False(string.IsNullOrEmpty(a.Actor)));
        Assert.Null(audit[0].Before);
        Assert.Contains("\"description\": \"fraud\"", audit[1].After);
        Assert.DoesNotContain("fraud", audit[1].Before);
        Assert.Contains(id, audit[2].Before);
        Assert.Null(audit[2].After);
        Assert.All(audit, a => Assert.DoesNotContain(secret["whsec_".Length..], a.Before + a.After));
    }

    [Fact]
    public async Task An_unknown_endpoint_or_delivery_answers_the_contracts_codes()
    {
        var id = await CreateAsync();

        await (await _admin.GetAsync("/v1/webhook-endpoints/we_nothing/deliveries")).AssertProblemAsync(HttpStatusCode.NotFound, "webhook_endpoint_not_found");
        await (await _admin.PatchAsJsonAsync("/v1/webhook-endpoints/we_nothing", new { description = "x" }))
            .AssertProblemAsync(HttpStatusCode.NotFound, "webhook_endpoint_not_found");
        await (await _admin.DeleteAsync("/v1/webhook-endpoints/we_nothing")).AssertProblemAsync(HttpStatusCode.NotFound, "webhook_endpoint_not_found");
        await (await _admin.PostAsync($"/v1/webhook-endpoints/{id}/deliveries/999999999/retry", null))
            .AssertProblemAsync(HttpStatusCode.NotFound, "delivery_not_found");
        await (await _admin.PostAsync($"/v1/webhook-endpoints/{id}/deliveries/abc/retry", null))
            .AssertProblemAsync(HttpStatusCode.NotFound, "delivery_not_found");
        var deliveries = await _admin.GetFromJsonAsync<JsonObject>($"/v1/webhook-endpoints/{id}/deliveries");
        Assert.NotNull(deliveries!["items"]);
    }

    private async Task<string> CreateAsync()
    {
        var created = await _admin.PostAsJsonAsync("/v1/webhook-endpoints", new { url = PublicUrl, types = new[] { "payment.*" } });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        return (string)(await created.Content.ReadFromJsonAsync<JsonObject>())!["id"]!;
    }

    private async Task<List<(string Action, string Actor, string? Before, string? After)>> AuditAsync(string target)
    {
        await using var connection = await servers.OpenPostgresAsync();
        await using var command = new Npgsql.NpgsqlCommand(
            "SELECT action, actor, before::text, after::text FROM admin_audit WHERE target = @target ORDER BY id", connection);
        command.Parameters.AddWithValue("target", target);
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<(string, string, string?, string?)>();
        while (await reader.ReadAsync())
        {
            rows.Add((reader.GetString(0), reader.GetString(1), reader.IsDBNull(2) ? null : reader.GetString(2), reader.IsDBNull(3) ? null : reader.GetString(3)));
        }

        return rows;
    }

    private async Task<byte[]> StoredSecretAsync(string endpointId)
    {
        await using var connection = await servers.OpenPostgresAsync();
        await using var command = new Npgsql.NpgsqlCommand("SELECT secret FROM webhook_endpoints WHERE endpoint_id = @id", connection);
        command.Parameters.AddWithValue("id", endpointId);
        return (byte[])(await command.ExecuteScalarAsync())!;
    }

    private static bool ContainsBytes(byte[] haystack, byte[] needle) =>
        Enumerable.Range(0, Math.Max(0, haystack.Length - needle.Length + 1)).Any(i => haystack.AsSpan(i, needle.Length).SequenceEqual(needle));
}
