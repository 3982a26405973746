using System.Diagnostics;
using Npgsql;
using Payments.Integration.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Payments.Integration.Tests.Failover;

/// <summary>
/// The replicated store's faults under keyed payment load through both regions' APIs: the PostgreSQL primary's
/// postmaster or its Patroni killed, a region's Redis primary killed. Payments resume with no silo or API restarted and
/// no region failed over (every account decided by its own region); afterwards every answered payment is in the ledger exactly once with its answer, the money adds up, no ceiling is
/// overrun, and the old primary is back as a standby holding exactly what the primary holds (nothing it may have
/// written alone survives). RTO and 503s are measured, never asserted on time (docs/failover.md records them).
/// </summary>
[Collection(RealServersCollection.Name)]
public sealed class StoreFailoverTests(RealServers servers, ITestOutputHelper output)
{
    private static readonly Ceilings Ceilings = new(Daily: 400_000, Weekly: 1_000_000, Monthly: 2_000_000);
    private static readonly LoadProfile Load = new(Terminals: 6, MinAmount: 100, MaxAmount: 2_000, DepositEvery: 10, DepositAmount: 5_000);

    [Fact]
    public Task Payments_resume_on_the_promoted_standby_when_the_primary_s_postmaster_is_killed() =>
        RunAsync("database primary: postmaster SIGKILL", async () =>
        {
            var primary = await servers.PrimaryAsync();
            await servers.KillPostgresAsync(primary);
            return primary;
        });

    [Fact]
    public Task Payments_resume_on_the_promoted_standby_when_the_primary_s_patroni_is_killed() =>
        RunAsync("database primary: Patroni SIGKILL", async () =>
        {
            var primary = await servers.PrimaryAsync();
            await servers.KillPatroniAsync(primary);
            return primary;
        });

    [Fact]
    public Task Payments_go_on_when_region_a_s_redis_primary_is_killed_and_a_sentinel_promotes_its_replica() =>
        RunAsync("Redis primary of region-a: SIGKILL", async () =>
        {
            var primary = await servers.RedisPrimaryAsync("region-a");
            await servers.KillRedisAsync(primary);
            return primary;
        });

    /// <param name="fault">Breaks something and names what it broke (a PostgreSQL node or a Redis node).</param>
    private async Task RunAsync(string scenario, Func<Task<string>> fault)
    {
        await using var topology = new PaymentsTopology(servers);
        var silos = new[] { await topology.StartSiloAsync("region-a"), await topology.StartSiloAsync("region-b") };
        var apis = new[] { await topology.StartApiAsync("region-a"), await topology.StartApiAsync("region-b") };
        var accounts = new[]
        {
            await TestAccounts.OpenAsync(apis[0], "store-a", 6, 400_000, 50_000, Ceilings, "region-a"),
            await TestAccounts.OpenAsync(apis[1], "store-b", 6, 400_000, 50_000, Ceilings, "region-b"),
        };
        var processes = silos.Concat(apis).Select(p => p.ProcessId).ToList();
        var loads = new[] { PaymentLoad.Start(apis[0], accounts[0], Load), PaymentLoad.Start(apis[1], accounts[1], Load) };
        try
        {
            await Task.WhenAll(loads.Select(load => load.WaitForAnswersAsync(60)));
            var faultAt = DateTimeOffset.UtcNow;
            var broken = await fault();
            var failed = Stopwatch.StartNew();
            await Task.WhenAll(loads.Select(load => load.WaitForAnswersAsync(load.AnsweredCount + 150)));
            output.WriteLine($"{broken} broken; 150 more answers per API {failed.Elapsed.TotalSeconds:F1} s later");

            await servers.RestoreAsync();
            await Task.WhenAll(loads.Select(load => load.WaitForAnswersAsync(load.AnsweredCount + 60)));
            var answers = (await Task.WhenAll(loads.Select(load => load.StopAsync()))).ToList();

            var outage = Outage.Since(faultAt, answers.SelectMany(a => a));
            var all = accounts.SelectMany(a => a).ToList();
            var deciders = await DecidersAsync(all);
            new Measurements(output, servers).Record(scenario,
                $"{outage.Describe()}; {answers.Sum(a => a.Count)} requests; (home, deciding) regions {string.Join(" ", deciders)}; " +
                $"{Environment.ProcessorCount} cores, shared machine");
            Assert.All(answers.SelectMany(a => a).SelectMany(a => a.Attempts), t => Assert.Contains(t.Status, new[] { 0, 200, 201, 503 }));
            Assert.Equal(processes, silos.Concat(apis).Select(p => p.ProcessId));
            Assert.All(silos.Concat(apis), p => Assert.True(p.IsRunning, $"{p.Name} stopped"));
            var ledger = new Infrastructure.LedgerAudit(servers);
            for (var region = 0; region < 2; region++)
            {
                await LedgerAssert.AnswersAreTheLedgerAsync(ledger, accounts[region], answers[region]);
            }

            using var admin = apis[0].CreateClient(PaymentsTopology.AdminKey);
            await LedgerAssert.MoneyAddsUpAsync(ledger, admin, all, Ceilings);
            // No store fault fails a region over, so every account was decided by its own region: the PostgreSQL store
            // is both regions' (its fault is no region's), and a region's Redis is replaced by Sentinel while the
            // region's silos keep serving.
            Assert.Equal([("region-a", "region-a"), ("region-b", "region-b")], deciders);
            if (servers.Topology.Members("postgres").Contains(broken))
            {
                await StoreReplicas.AssertRejoinedAsStandbyAsync(servers, broken, all);
            }
            else
            {
                Assert.NotEqual(broken, await servers.RedisPrimaryAsync("region-a"));
            }
        }
        finally
        {
            foreach (var load in loads)
            {
                await load.DisposeAsync();
            }
        }
    }

    /// <summary>(home region, deciding region) pairs of the accounts' payment rows.</summary>
    private async Task<List<(string, string)>> DecidersAsync(IReadOnlyCollection<string> accounts)
    {
        await using var connection = await servers.OpenPostgresAsync();
        await using var command = new NpgsqlCommand(
            """
            SELECT DISTINCT a.home_region, l.decided_by FROM ledger l JOIN accounts a USING (account_id)
            WHERE l.account_id = ANY(@ids) AND l.kind = 'payment' ORDER BY 1, 2
            """, connection);
        command.Parameters.AddWithValue("ids", accounts.ToArray());
        var pairs = new List<(string, string)>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            pairs.Add((reader.GetString(0), reader.GetString(1)));
        }

        return pairs;
    }
}
