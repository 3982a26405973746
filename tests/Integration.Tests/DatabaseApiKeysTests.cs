using System.Diagnostics;
using System.Net;
using Npgsql;
using Payments.Api.Security;
using Payments.Api.Tests;
using Payments.Hosting.Security;
using Payments.Integration.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Payments.Integration.Tests;

/// <summary>Keys issued into the real PostgreSQL: the authorization matrix, revocation across API instances, the audit, the keys command.</summary>
[Collection(RealServersCollection.Name)]
public sealed class DatabaseApiKeysTests(RealServers servers, ITestOutputHelper output) : IAsyncLifetime
{
    private static readonly TimeSpan RevocationDeadline = TimeSpan.FromSeconds(15);
    private PostgresApi _api = null!;

    private HttpClient Admin => _api.Client(PostgresApi.BootstrapAdminKey);

    public async Task InitializeAsync() => _api = await PostgresApi.StartAsync(servers);

    public async Task DisposeAsync() => await _api.DisposeAsync();

    [Fact]
    public async Task Database_keys_reach_exactly_the_endpoints_of_their_role()
    {
        var accountId = await Admin.CreateAccountAsync();
        var (adminId, adminKey) = await Admin.IssueKeyAsync("admin");
        var keys = await Admin.IssueMatrixKeysAsync(adminKey);

        var failures = await AuthorizationMatrix.RunAsync(_api.Factory.Services, key => _api.Client(key), keys, accountId);

        Assert.Empty(failures);
        var (hash, active) = await StoredKeyAsync(adminId);
        Assert.Equal(ApiKeyFormat.Hash(adminKey), hash);
        Assert.True(active);
        // pk_<hex id>_<secret>: the id holds no '_', the base64url secret may.
        var secret = adminKey[(adminKey.IndexOf('_', "pk_".Length) + 1)..];
        Assert.Equal(0, await servers.ScalarAsync<long>(
            "SELECT (SELECT count(*) FROM api_keys k WHERE strpos(k::text, @secret) > 0) + (SELECT count(*) FROM admin_audit a WHERE strpos(a::text, @secret) > 0)",
            ("secret", secret)));
    }

    [Fact]
    public async Task Key_revoked_on_one_instance_is_refused_by_another_within_seconds()
    {
        var accountId = await Admin.CreateAccountAsync();
        var (id, key) = await Admin.IssueKeyAsync("terminal");
        var other = _api.Instance();
        var onOther = _api.Client(key, other);
        Assert.Equal(HttpStatusCode.OK, (await onOther.GetAsync($"/v1/accounts/{accountId}")).StatusCode);

        await Admin.RevokeKeyAsync(id);
        var sameInstance = await _api.Client(key).GetAsync($"/v1/accounts/{accountId}");
        var clock = Stopwatch.StartNew();
        HttpStatusCode status;
        while ((status = (await onOther.GetAsync($"/v1/accounts/{accountId}")).StatusCode) == HttpStatusCode.OK && clock.Elapsed < RevocationDeadline)
        {
            await Task.Delay(100);
        }

        output.WriteLine($"the other instance refused the revoked key after {clock.ElapsedMilliseconds} ms");
        Assert.Equal(HttpStatusCode.Unauthorized, sameInstance.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, status);
        Assert.False((await StoredKeyAsync(id)).Active);
    }

    [Fact]
    public async Task Key_and_account_changes_are_audited_in_the_database_with_their_actor()
    {
        var (_, adminKey) = await Admin.IssueKeyAsync("admin");
        var admin = _api.Client(adminKey);
        var actor = await servers.ScalarAsync<string>("SELECT name FROM api_keys WHERE key_hash = @hash", ("hash", ApiKeyFormat.Hash(adminKey)));

        var (id, _) = await admin.IssueKeyAsync("terminal", merchant: "Boulangerie du Port");
        await admin.RevokeKeyAsync(id);
        var accountId = await admin.CreateAccountAsync();

        var trail = await AuditAsync($"api_key:{id}");
        Assert.Equal([("api_key.created", actor), ("api_key.revoked", actor)], trail.Select(r => (r.Action, r.Actor)));
        Assert.Contains("\"merchant\": \"Boulangerie du Port\"", trail[0].After);
        Assert.Null(trail[0].Before);
        Assert.Contains("\"revokedBy\": \"" + actor + "\"", trail[1].After);
        Assert.DoesNotContain("pk_", trail[0].After);
        Assert.Equal([("account.created", actor)], (await AuditAsync($"account:{accountId}")).Select(r => (r.Action, r.Actor)));
    }

    [Fact]
    public async Task Keys_command_issues_a_key_that_the_running_api_accepts_and_revokes_it()
    {
        var accountId = await Admin.CreateAccountAsync();
        var name = KeyCalls.NewKeyName("cli");
        using var created = new StringWriter();

        var exitCode = await ApiKeysCommand.RunAsync(_api.Factory.Services, ["create", "--name", name, "--role", "terminal"], created);

        Assert.Equal(0, exitCode);
        var lines = created.ToString().Split('\n');
        var id = lines.Single(l => l.StartsWith("id:", StringComparison.Ordinal))[3..].Trim();
        var key = lines.Single(l => l.StartsWith("key:", StringComparison.Ordinal))[4..].Trim();
        var terminal = _api.Client(key, _api.Instance());
        Assert.Equal(HttpStatusCode.Created, (await terminal.PayAsync(accountId, 100)).StatusCode);
        Assert.Equal(0, await ApiKeysCommand.RunAsync(_api.Factory.Services, ["revoke", id], TextWriter.Null));
        var clock = Stopwatch.StartNew();
        while ((await terminal.GetAsync($"/v1/accounts/{accountId}")).StatusCode != HttpStatusCode.Unauthorized && clock.Elapsed < RevocationDeadline)
        {
            await Task.Delay(100);
        }

        await (await terminal.PayAsync(accountId, 100)).AssertProblemAsync(HttpStatusCode.Unauthorized, "unauthenticated");
        Assert.Equal(1, await servers.ScalarAsync<long>("SELECT count(*) FROM admin_audit WHERE target = @target AND actor LIKE 'cli:%' AND action = 'api_key.revoked'",
            ("target", $"api_key:{id}")));
    }

    [Fact]
    public async Task Keys_command_refuses_a_malformed_key_and_issues_nothing()
    {
        using var written = new StringWriter();
        var name = KeyCalls.NewKeyName("cli");

        var exitCode = await ApiKeysCommand.RunAsync(_api.Factory.Services, ["create", "--name", name, "--role", "root"], written);

        Assert.Equal(1, exitCode);
        Assert.Contains("--role", written.ToString());
        Assert.Equal(0, await servers.ScalarAsync<long>("SELECT count(*) FROM api_keys WHERE name = @name", ("name", name)));
    }

    private async Task<(byte[] Hash, bool Active)> StoredKeyAsync(string id)
    {
        await using var connection = await servers.OpenPostgresAsync();
        await using var command = new NpgsqlCommand("SELECT key_hash, revoked_at IS NULL FROM api_keys WHERE id = @id", connection);
        command.Parameters.AddWithValue("id", id);
        await using var reader = await command.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync());
        return (reader.GetFieldValue<byte[]>(0), reader.GetBoolean(1));
    }

    private async Task<List<(string Action, string Actor, string? Before, string After)>> AuditAsync(string target)
    {
        await using var connection = await servers.OpenPostgresAsync();
        await using var command = new NpgsqlCommand(
            "SELECT action, actor, before::text, after::text FROM admin_audit WHERE target = @target ORDER BY id", connection);
        command.Parameters.AddWithValue("target", target);
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<(string, string, string?, string)>();
        while (await reader.ReadAsync())
        {
            rows.Add((reader.GetString(0), reader.GetString(1), reader.IsDBNull(2) ? null : reader.GetString(2), reader.GetString(3)));
        }

        return rows;
    }
}
