using System.Text.Json.Nodes;
using Npgsql;
using Payments.Contracts;
using Payments.Integration.Tests.Infrastructure;
using Payments.Integration.Tests.Settlement;
using Payments.Regions;

namespace Payments.Integration.Tests.Regions;

/// <summary>The rules table and its audit rows on the real PostgreSQL, each test with a region of its own.</summary>
[Collection(RealServersCollection.Name)]
public sealed class RegionRulesStoreTests(RealServers servers) : IAsyncDisposable
{
    private static readonly RegionRules Paris = new(
        "Europe/Paris", 3, "EUR", 1_000_000, new LimitSet(50_000, 100_000, 300_000, 800_000), ["7995"], 1);

    private readonly NpgsqlDataSource _db = NpgsqlDataSource.Create(servers.PostgresConnectionString);
    private readonly string _region = LedgerRows.NewRegion();

    private PostgresRegionRulesStore Store => new(_db);

    [Fact]
    public async Task Silos_seeding_at_once_store_one_version_and_one_audit_row()
    {
        var seeds = await Task.WhenAll(Enumerable.Range(0, 4).Select(i => Task.Run(() =>
            Store.SeedAsync(_region, Paris with { MaxPerPayment = 1_000 + i }, Stamp($"silo-{i}"), CancellationToken.None))));

        Assert.All(seeds, seed => Assert.Equal(1, seed.Version));
        Assert.Single(seeds.Select(seed => seed.MaxPerPayment).Distinct());
        var audit = Assert.Single(await AuditAsync());
        Assert.Equal(("region_rules.seeded", $"region:{_region}"), (audit.Action, audit.Target));
        Assert.Equal(seeds[0].MaxPerPayment, (long?)audit.After!["maxPerPayment"]);
    }

    [Fact]
    public async Task Replace_writes_the_change_and_its_audit_row_together()
    {
        var seeded = await Store.SeedAsync(_region, Paris, Stamp("configuration"), CancellationToken.None);
        var next = seeded with
        {
            Version = 2,
            BlockedMccs = ["6011", "7995"],
            CalendarChange = new CalendarChange("Europe/Paris", 3, new DateTimeOffset(2026, 11, 26, 2, 0, 0, TimeSpan.Zero)),
        };

        var replaced = await Store.ReplaceAsync(_region, seeded, next, Stamp("dev-admin"), CancellationToken.None);

        Assert.True(replaced);
        var stored = (await Store.FindAsync(_region, CancellationToken.None))!;
        Assert.Equal(RegionRulesJson.Write(next), RegionRulesJson.Write(stored));
        var update = (await AuditAsync()).Single(row => row.Action == "region_rules.updated");
        Assert.Equal("dev-admin", update.Actor);
        Assert.Equal((1L, 2L), ((long)update.Before!["version"]!, (long)update.After!["version"]!));
        Assert.Equal("2026-11-26T02:00:00+00:00", (string?)update.After["calendarChange"]!["effectiveAt"]);
    }

    [Fact]
    public async Task Replace_of_a_stale_version_changes_nothing_and_audits_nothing()
    {
        var seeded = await Store.SeedAsync(_region, Paris, Stamp("configuration"), CancellationToken.None);
        Assert.True(await Store.ReplaceAsync(_region, seeded, seeded with { Version = 2, MaxPerPayment = 5 }, Stamp("first"), CancellationToken.None));

        var stale = await Store.ReplaceAsync(_region, seeded, seeded with { Version = 2, MaxPerPayment = 7 }, Stamp("second"), CancellationToken.None);

        Assert.False(stale);
        Assert.Equal(5, (await Store.FindAsync(_region, CancellationToken.None))!.MaxPerPayment);
        Assert.Equal(["configuration", "first"], (await AuditAsync()).Select(row => row.Actor));
    }

    public async ValueTask DisposeAsync() => await _db.DisposeAsync();

    private static AuditStamp Stamp(string actor) => new(actor, DateTimeOffset.UtcNow);

    private async Task<List<(string Actor, string Action, string Target, JsonNode? Before, JsonNode? After)>> AuditAsync()
    {
        await using var command = _db.CreateCommand(
            "SELECT actor, action, target, before::text, after::text FROM admin_audit WHERE target = @target ORDER BY id");
        command.Parameters.AddWithValue("target", $"region:{_region}");
        var rows = new List<(string, string, string, JsonNode?, JsonNode?)>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            rows.Add((reader.GetString(0), reader.GetString(1), reader.GetString(2),
                reader.IsDBNull(3) ? null : JsonNode.Parse(reader.GetString(3)),
                reader.IsDBNull(4) ? null : JsonNode.Parse(reader.GetString(4))));
        }

        return rows;
    }
}
