using System.Net;
using Npgsql;
using Payments.Api.Tests;
using Payments.Integration.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Payments.Integration.Tests;

/// <summary>
/// The fuzz run of the API tests against the PostgreSQL ledger, keys and audit: no 5xx, and every table that
/// records something exactly as it was for the accounts, keys and actors of the run.
/// </summary>
[Collection(RealServersCollection.Name)]
public sealed class HostileInputOnPostgresTests(RealServers servers, ITestOutputHelper output) : IAsyncLifetime
{
    private const int Seed = 7_0906;
    private const int Requests = 2_000;
    private PostgresApi _api = null!;

    public async Task InitializeAsync() => _api = await PostgresApi.StartAsync(servers);

    public async Task DisposeAsync() => await _api.DisposeAsync();

    [Fact]
    public async Task Hostile_requests_leave_the_postgres_ledger_keys_and_audit_unchanged()
    {
        var bootstrap = _api.Client(PostgresApi.BootstrapAdminKey);
        var (_, adminKey) = await bootstrap.IssueKeyAsync("admin");
        var (_, terminalKey) = await bootstrap.IssueKeyAsync("terminal");
        var (_, scoped) = await bootstrap.IssueKeyAsync("terminal", merchant: "Boulangerie du Port");
        var (revokedId, revoked) = await bootstrap.IssueKeyAsync("terminal");
        await bootstrap.RevokeKeyAsync(revokedId);
        var admin = _api.Client(adminKey);
        var accounts = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            var accountId = await admin.CreateAccountAsync();
            Assert.Equal(HttpStatusCode.Created, (await _api.Client(terminalKey).PayAsync(accountId, 100 + i, key: $"before-{i}")).StatusCode);
            accounts.Add(accountId);
        }

        var prefix = $"fz{Guid.NewGuid():N}"[..10] + "-";
        var generator = new HostileRequests(Seed, new FuzzTargets(accounts, prefix, new FuzzKeys(adminKey, terminalKey, scoped, revoked)));
        var requests = generator.Take(Requests);
        var ledger = await LedgerAsync(accounts);
        var snapshots = await Task.WhenAll(accounts.Select(a => AccountFingerprint.TakeAsync(admin, a)));
        var lastAudit = await servers.ScalarAsync<long>("SELECT coalesce(max(id), 0) FROM admin_audit");

        var result = await FuzzRun.RunAsync(_api.Client(null), requests, concurrency: 4);
        output.WriteLine($"seed {Seed}: {FuzzRun.Describe(result)}");

        Assert.True(result.Failures.Count == 0, $"seed {Seed}, {FuzzRun.Describe(result)}\n{string.Join("\n", result.Failures.Take(25))}");
        Assert.Equal(ledger, await LedgerAsync(accounts));
        Assert.Equal(snapshots, await Task.WhenAll(accounts.Select(a => AccountFingerprint.TakeAsync(admin, a))));
        Assert.Equal(0, await servers.ScalarAsync<long>(
            "SELECT (SELECT count(*) FROM ledger WHERE starts_with(account_id, @prefix)) + (SELECT count(*) FROM accounts WHERE starts_with(account_id, @prefix))",
            ("prefix", prefix)));
        Assert.Equal(0, await servers.ScalarAsync<long>("SELECT count(*) FROM api_keys WHERE starts_with(name, @prefix)", ("prefix", prefix)));
        Assert.Equal(0, await servers.ScalarAsync<long>(
            "SELECT count(*) FROM admin_audit WHERE id > @last AND (actor IN (SELECT name FROM api_keys WHERE key_hash = ANY(@hashes)) OR strpos(target, @prefix) > 0)",
            ("last", lastAudit), ("prefix", prefix),
            ("hashes", new[] { adminKey, terminalKey, scoped, revoked }.Select(Payments.Hosting.Security.ApiKeyFormat.Hash).ToArray())));
        Assert.Equal(HttpStatusCode.OK, (await _api.Client(null).GetAsync("/health/live")).StatusCode);
        Assert.Equal("approved", (string?)(await (await _api.Client(terminalKey).PayAsync(accounts[0], 50)).JsonAsync())["status"]);
    }

    /// <summary>Every ledger row of the accounts, as PostgreSQL holds it.</summary>
    private async Task<List<string>> LedgerAsync(IReadOnlyList<string> accounts)
    {
        await using var connection = await servers.OpenPostgresAsync();
        await using var command = new NpgsqlCommand(
            "SELECT account_id, seq, kind, entry_id, amount, status, balance_after FROM ledger WHERE account_id = ANY(@ids) ORDER BY account_id, seq",
            connection);
        command.Parameters.AddWithValue("ids", accounts.ToArray());
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<string>();
        while (await reader.ReadAsync())
        {
            rows.Add($"{reader.GetString(0)}/{reader.GetInt64(1)}/{reader.GetString(2)}/{reader.GetString(3)}/{reader.GetInt64(4)}/{reader.GetString(5)}/{reader.GetInt64(6)}");
        }

        Assert.Equal(accounts.Count * 2, rows.Count);
        return rows;
    }
}
