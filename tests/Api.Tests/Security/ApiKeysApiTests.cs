using System.Net;
using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using Payments.Api.Auditing;

namespace Payments.Api.Tests;

[Collection(ApiCollection.Name)]
public sealed class ApiKeysApiTests(ApiFixture fixture)
{
    private readonly HttpClient _admin = fixture.Client(ApiFixture.AdminKey);

    private InMemoryAdminAudit Audit => fixture.Factory.Services.GetRequiredService<InMemoryAdminAudit>();

    [Fact]
    public async Task Issued_key_is_shown_once_and_works_at_once()
    {
        var name = KeyCalls.NewKeyName("terminal");

        var response = await _admin.PostAsJsonAsync("/v1/api-keys", new { name, role = "terminal" });

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var created = await response.JsonAsync();
        var (id, key) = ((string)created["id"]!, (string)created["key"]!);
        Assert.Equal($"/v1/api-keys/{id}", response.Headers.Location?.ToString());
        Assert.Equal(name, (string?)created["name"]);
        Assert.Equal("dev-admin", (string?)created["createdBy"]);
        Assert.StartsWith($"pk_{id}_", key);
        var listed = (await (await _admin.GetAsync("/v1/api-keys")).JsonAsync())["items"]!.AsArray().Single(k => (string?)k!["id"] == id)!;
        Assert.DoesNotContain(key, listed.ToJsonString());
        Assert.False(listed.AsObject().ContainsKey("key"));
        Assert.Equal(HttpStatusCode.OK, (await fixture.Client(key).GetAsync($"/v1/accounts/{await _admin.CreateAccountAsync()}")).StatusCode);
    }

    [Fact]
    public async Task Revoked_key_is_refused_at_once_on_the_instance_that_revoked_it()
    {
        var (id, key) = await _admin.IssueKeyAsync("terminal");
        var accountId = await _admin.CreateAccountAsync();
        var terminal = fixture.Client(key);
        Assert.Equal(HttpStatusCode.Created, (await terminal.PayAsync(accountId, 100)).StatusCode);

        await _admin.RevokeKeyAsync(id);

        await (await terminal.PayAsync(accountId, 100)).AssertProblemAsync(HttpStatusCode.Unauthorized, "unauthenticated");
        var listed = (await (await _admin.GetAsync("/v1/api-keys")).JsonAsync())["items"]!.AsArray().Single(k => (string?)k!["id"] == id)!;
        Assert.Equal("dev-admin", (string?)listed["revokedBy"]);
        Assert.NotNull((string?)listed["revokedAt"]);
        Assert.Equal(99_900, (long?)(await _admin.GetAccountAsync(accountId))["balance"]);
    }

    [Fact]
    public async Task Revoking_twice_changes_nothing_and_an_unknown_key_is_not_found()
    {
        var (id, _) = await _admin.IssueKeyAsync("admin");
        await _admin.RevokeKeyAsync(id);
        var entries = Audit.Entries.Count(e => e.Target == $"api_key:{id}");

        var again = await _admin.DeleteAsync($"/v1/api-keys/{id}");
        var unknown = await _admin.DeleteAsync("/v1/api-keys/ffffffffffffffff");
        var malformed = await _admin.DeleteAsync("/v1/api-keys/not-an-id");

        Assert.Equal(HttpStatusCode.NoContent, again.StatusCode);
        Assert.Equal(entries, Audit.Entries.Count(e => e.Target == $"api_key:{id}"));
        await unknown.AssertProblemAsync(HttpStatusCode.NotFound, "api_key_not_found");
        await malformed.AssertProblemAsync(HttpStatusCode.BadRequest, "validation_failed");
    }

    [Fact]
    public async Task Active_key_names_are_unique_and_configured_names_are_taken()
    {
        var name = KeyCalls.NewKeyName("admin");
        var (id, _) = await _admin.IssueKeyAsync("admin", name: name);

        var duplicate = await _admin.PostAsJsonAsync("/v1/api-keys", new { name, role = "terminal" });
        var configured = await _admin.PostAsJsonAsync("/v1/api-keys", new { name = "dev-terminal", role = "terminal" });
        await _admin.RevokeKeyAsync(id);
        var reused = await _admin.PostAsJsonAsync("/v1/api-keys", new { name, role = "terminal" });

        await duplicate.AssertProblemAsync(HttpStatusCode.Conflict, "api_key_exists");
        await configured.AssertProblemAsync(HttpStatusCode.Conflict, "api_key_exists");
        Assert.Equal(HttpStatusCode.Created, reused.StatusCode);
    }

    [Theory]
    [InlineData("", "terminal", null, "name")]
    [InlineData("bad name", "terminal", null, "name")]
    [InlineData("ok", "root", null, "role")]
    [InlineData("ok", "admin", "Boulangerie du Port", "merchant")]
    [InlineData("ok", "network", "Boulangerie du Port", "merchant")]
    [InlineData("ok", "terminal", "Shop\u202E", "merchant")]
    public async Task Malformed_key_request_is_refused_and_issues_nothing(string name, string role, string? merchant, string field)
    {
        var keyName = name == "ok" ? KeyCalls.NewKeyName("bad") : name;

        var response = await _admin.PostAsJsonAsync("/v1/api-keys", new { name = keyName, role, merchant });

        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest, "validation_failed");
        Assert.NotNull(problem["errors"]![field]);
        var names = (await (await _admin.GetAsync("/v1/api-keys")).JsonAsync())["items"]!.AsArray().Select(k => (string?)k!["name"]);
        Assert.DoesNotContain(keyName, names);
    }

    [Fact]
    public async Task Issuing_and_revoking_are_audited_with_the_admin_key_as_actor()
    {
        var (adminId, adminKey) = await _admin.IssueKeyAsync("admin");
        var (id, _) = await fixture.Client(adminKey).IssueKeyAsync("terminal");

        await fixture.Client(adminKey).RevokeKeyAsync(id);

        var trail = Audit.Entries.Where(e => e.Target == $"api_key:{id}").ToList();
        var actor = (string)(await (await _admin.GetAsync("/v1/api-keys")).JsonAsync())["items"]!.AsArray()
            .Single(k => (string?)k!["id"] == adminId)!["name"]!;
        Assert.Equal([AdminActions.ApiKeyCreated, AdminActions.ApiKeyRevoked], trail.Select(e => e.Action));
        Assert.All(trail, e => Assert.Equal(actor, e.Actor));
        Assert.Null(trail[0].Before);
        Assert.DoesNotContain("pk_", System.Text.Json.JsonSerializer.Serialize(trail[0].After));
    }
}
