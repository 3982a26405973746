using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Payments.Api.Auditing;
using Payments.Ledger;
using Xunit.Abstractions;

namespace Payments.Api.Tests;

/// <summary>
/// Thousands of generated hostile requests against the API and the test cluster's in-memory ledger: no 5xx, every
/// write refused, and the ledger, the accounts, the keys and the audit exactly as they were.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class HostileInputFuzzTests(ApiFixture fixture, ITestOutputHelper output)
{
    private const int Seed = 20_260_909;
    private const int Requests = 3_000;
    private readonly HttpClient _admin = fixture.Client(ApiFixture.AdminKey);

    [Fact]
    public async Task Hostile_requests_get_no_server_error_and_change_nothing()
    {
        var accounts = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            var accountId = await _admin.CreateAccountAsync();
            Assert.Equal(HttpStatusCode.Created, (await fixture.Client(ApiFixture.TerminalKey).PayAsync(accountId, 100 + i, key: $"before-{i}")).StatusCode);
            accounts.Add(accountId);
        }

        var (revokedId, revoked) = await _admin.IssueKeyAsync("terminal");
        await _admin.RevokeKeyAsync(revokedId);
        var (_, scoped) = await _admin.IssueKeyAsync("terminal", merchant: "Boulangerie du Port");
        var targets = new FuzzTargets(accounts, $"fz{Guid.NewGuid():N}"[..10] + "-", new FuzzKeys(ApiFixture.AdminKey, ApiFixture.TerminalKey, scoped, revoked));
        var generator = new HostileRequests(Seed, targets);
        var requests = generator.Take(Requests);
        var snapshots = await SnapshotsAsync(accounts);
        var ledger = await LedgerRowsAsync(accounts);
        var auditEntries = Audit.Entries.Count;

        var result = await FuzzRun.RunAsync(fixture.Factory.CreateClient(), requests, concurrency: 4);
        output.WriteLine($"seed {Seed}: {FuzzRun.Describe(result)}");

        Assert.True(result.Failures.Count == 0,
            $"seed {Seed}, {FuzzRun.Describe(result)}\n{string.Join("\n", result.Failures.Take(25))}");
        Assert.Equal(snapshots, await SnapshotsAsync(accounts));
        Assert.Equal(ledger, await LedgerRowsAsync(accounts));
        Assert.Empty(await LedgerRowsAsync(generator.MadeUpAccountIds));
        Assert.Equal(auditEntries, Audit.Entries.Count);
        var keyNames = (await (await _admin.GetAsync("/v1/api-keys")).JsonAsync())["items"]!.AsArray().Select(k => (string)k!["name"]!);
        Assert.Empty(keyNames.Intersect(generator.MadeUpKeyNames));
        Assert.Equal(HttpStatusCode.OK, (await fixture.Factory.CreateClient().GetAsync("/health/live")).StatusCode);
        var after = await fixture.Client(ApiFixture.TerminalKey).PayAsync(accounts[0], 50);
        Assert.Equal("approved", (string?)(await after.JsonAsync())["status"]);
    }

    private InMemoryAdminAudit Audit => fixture.Factory.Services.GetRequiredService<InMemoryAdminAudit>();

    private async Task<List<string>> SnapshotsAsync(IEnumerable<string> accounts)
    {
        var snapshots = new List<string>();
        foreach (var accountId in accounts)
        {
            snapshots.Add(await AccountFingerprint.TakeAsync(_admin, accountId));
        }

        return snapshots;
    }

    /// <summary>The ledger rows of the accounts, read from the silo's ledger store itself.</summary>
    private async Task<List<string>> LedgerRowsAsync(IEnumerable<string> accounts)
    {
        var store = fixture.Cluster.Silos[0].ServiceProvider.GetRequiredService<ILedgerStore>();
        var rows = new List<string>();
        foreach (var accountId in accounts)
        {
            rows.AddRange((await store.ReadAfterAsync(accountId, 0, CancellationToken.None))
                .Select(e => $"{e.AccountId}/{e.Seq}/{e.Kind}/{e.EntryId}/{e.Change}/{e.BalanceAfter}"));
        }

        return rows;
    }
}
