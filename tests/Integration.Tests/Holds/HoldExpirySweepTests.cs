using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Npgsql;
using Payments.Integration.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Payments.Integration.Tests.Holds;

/// <summary>
/// The region's expiry sweep on the real PostgreSQL and a real silo: the hold of an account that nobody touches again,
/// whose grain died with its silo, is released by one ledger row within a minute of its expiry; so is the hold of an
/// account whose whole region is lost (the other region's sweep stands in), and only once when the region returns.
/// </summary>
[Collection(RealServersCollection.Name)]
public sealed class HoldExpirySweepTests(RealServers servers, ITestOutputHelper output)
{
    // A merchant category no other test uses, given the shortest hold period the rules allow.
    private const string ShortHoldMcc = "4789";
    private static readonly TimeSpan Contract = TimeSpan.FromMinutes(1);

    [Fact]
    public async Task An_idle_accounts_hold_is_released_by_one_row_within_a_minute_of_its_expiry_across_a_silo_kill()
    {
        await using var topology = new PaymentsTopology(servers);
        var silo = await topology.StartSiloAsync("region-a");
        var api = await topology.StartApiAsync("region-a");
        using var admin = api.CreateClient(PaymentsTopology.AdminKey);
        using var terminal = api.CreateClient(PaymentsTopology.TerminalKey);
        var (accountId, authorizationId, expiresAt) = await ShortHoldAsync(api, admin, terminal, "sweep");
        // Nothing in memory any more: the account's grain and the sweep's both die with the silo.
        silo.Kill();
        await silo.StartAsync();
        var released = await WaitForReleaseAsync(accountId, authorizationId, expiresAt + Contract + TimeSpan.FromSeconds(30));

        await AssertReleasedOnceInTimeAsync(admin, accountId, authorizationId, expiresAt, released, "region-a");
    }

    [Fact]
    public async Task A_lost_regions_hold_is_released_by_the_other_region_within_a_minute_and_not_again_when_it_returns()
    {
        await using var topology = new PaymentsTopology(servers);
        var siloA = await topology.StartSiloAsync("region-a");
        await topology.StartSiloAsync("region-b");
        var api = await topology.StartApiAsync("region-a");
        using var admin = api.CreateClient(PaymentsTopology.AdminKey);
        using var terminal = api.CreateClient(PaymentsTopology.TerminalKey);
        var (accountId, authorizationId, expiresAt) = await ShortHoldAsync(api, admin, terminal, "lost");

        // Region-a is lost (its only silo, with its sweep and the account's grain) until the release is written.
        siloA.Kill();
        var released = await WaitForReleaseAsync(accountId, authorizationId, expiresAt + Contract + TimeSpan.FromSeconds(30));
        await siloA.StartAsync();
        await Task.Delay(TimeSpan.FromSeconds(35));
        await using var db = NpgsqlDataSource.Create(servers.PostgresConnectionString);
        var afterReturn = await ExpiryRowsAsync(db, accountId, authorizationId);

        await AssertReleasedOnceInTimeAsync(admin, accountId, authorizationId, expiresAt, released, "region-b");
        Assert.Equal(released, afterReturn);
    }

    /// <summary>An account of region-a (10,000 available) with one authorization of 1,000 held for one minute.</summary>
    private static async Task<(string AccountId, string AuthorizationId, DateTimeOffset ExpiresAt)> ShortHoldAsync(
        AppProcess api, HttpClient admin, HttpClient terminal, string prefix)
    {
        await GiveShortHoldsAsync(admin);
        var accountId = (await TestAccounts.OpenAsync(api, prefix, 1, 10_000, 5_000, new Ceilings(50_000, 100_000, 200_000)))[0];
        var authorization = await AuthorizeWithShortHoldAsync(terminal, accountId);
        return (accountId, (string)authorization["authorizationId"]!, (DateTimeOffset)authorization["expiresAt"]!);
    }

    /// <summary>One release row of the whole hold, by <paramref name="decidedBy"/>, within a minute of the expiry; nothing held after.</summary>
    private async Task AssertReleasedOnceInTimeAsync(
        HttpClient admin, string accountId, string authorizationId, DateTimeOffset expiresAt,
        List<(long Amount, DateTimeOffset CreatedAt, string DecidedBy)> released, string decidedBy)
    {
        var row = Assert.Single(released);
        output.WriteLine($"hold {authorizationId} expired at {expiresAt:O}, released by {row.DecidedBy} at {row.CreatedAt:O}");
        Assert.Equal((1_000L, decidedBy), (row.Amount, row.DecidedBy));
        Assert.InRange(row.CreatedAt - expiresAt, TimeSpan.Zero, Contract);
        var view = JsonNode.Parse(await admin.GetStringAsync($"/v1/accounts/{accountId}"))!;
        Assert.Equal((0L, 10_000L), ((long)view["held"]!, (long)view["available"]!));
    }

    /// <summary>Region-a's rules hold <see cref="ShortHoldMcc"/> for one minute; the change is in force within 5 seconds.</summary>
    private static async Task GiveShortHoldsAsync(HttpClient admin)
    {
        var rules = JsonNode.Parse(await admin.GetStringAsync("/v1/regions/region-a/rules"))!.AsObject();
        var expiry = rules["holdExpiry"]?.AsObject() ?? new JsonObject { ["default"] = "P7D", ["byMcc"] = new JsonObject() };
        if ((string?)expiry["byMcc"]?[ShortHoldMcc] == "PT1M")
        {
            return;
        }

        expiry["byMcc"]![ShortHoldMcc] = "PT1M";
        rules["holdExpiry"] = expiry.DeepClone();
        using var put = await admin.PutAsJsonAsync("/v1/regions/region-a/rules", rules);
        Assert.Equal(HttpStatusCode.OK, put.StatusCode);
    }

    /// <summary>Authorizes until the one-minute hold period is in force (the rules reach the silo within 5 seconds).</summary>
    private static async Task<JsonNode> AuthorizeWithShortHoldAsync(HttpClient terminal, string accountId)
    {
        for (var attempt = 0; ; attempt++)
        {
            using var response = await terminal.PostAsJsonAsync($"/v1/accounts/{accountId}/authorizations",
                new { amount = 1_000, currency = "EUR", merchant = "Taxi du Port", mcc = ShortHoldMcc });
            Assert.Equal(HttpStatusCode.Created, response.StatusCode);
            var authorization = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
            var period = (DateTimeOffset)authorization["expiresAt"]! - (DateTimeOffset)authorization["createdAt"]!;
            if (period == TimeSpan.FromMinutes(1))
            {
                return authorization;
            }

            // An authorization made under the old rules: given back, then tried again.
            Assert.True(attempt < 10, $"The one-minute hold period was not in force after {attempt} tries.");
            using var reversal = await terminal.PostAsJsonAsync(
                $"/v1/accounts/{accountId}/authorizations/{(string)authorization["authorizationId"]!}/reversals", new { });
            Assert.Equal(HttpStatusCode.Created, reversal.StatusCode);
            await Task.Delay(TimeSpan.FromSeconds(1));
        }
    }

    /// <summary>
    /// The authorization's expiry rows once one is there (or the deadline passed), read again one sweep period later:
    /// the passes after the release must not write another.
    /// </summary>
    private async Task<List<(long Amount, DateTimeOffset CreatedAt, string DecidedBy)>> WaitForReleaseAsync(
        string accountId, string authorizationId, DateTimeOffset deadline)
    {
        await using var db = NpgsqlDataSource.Create(servers.PostgresConnectionString);
        while ((await ExpiryRowsAsync(db, accountId, authorizationId)).Count == 0 && DateTimeOffset.UtcNow < deadline)
        {
            await Task.Delay(TimeSpan.FromSeconds(2));
        }

        await Task.Delay(TimeSpan.FromSeconds(20));
        return await ExpiryRowsAsync(db, accountId, authorizationId);
    }

    private static async Task<List<(long Amount, DateTimeOffset CreatedAt, string DecidedBy)>> ExpiryRowsAsync(
        NpgsqlDataSource db, string accountId, string authorizationId)
    {
        await using var command = db.CreateCommand(
            "SELECT amount, created_at, decided_by FROM ledger WHERE account_id = @account AND authorization_id = @authorization AND kind = 'expiry'");
        command.Parameters.AddWithValue("account", accountId);
        command.Parameters.AddWithValue("authorization", authorizationId);
        var rows = new List<(long, DateTimeOffset, string)>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            rows.Add((reader.GetInt64(0), reader.GetFieldValue<DateTimeOffset>(1), reader.GetString(2)));
        }

        return rows;
    }
}
