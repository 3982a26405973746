using System.Diagnostics;
using Npgsql;
using Payments.Integration.Tests.Infrastructure;

namespace Payments.Integration.Tests.Failover;

/// <summary>What a PostgreSQL node holds, read on that node itself rather than through the multi-host string.</summary>
public static class StoreReplicas
{
    private static readonly TimeSpan CatchUp = TimeSpan.FromSeconds(60);

    /// <summary>
    /// The old primary <paramref name="node"/> came back as a standby (in recovery) and holds exactly the primary's
    /// ledger rows of <paramref name="accounts"/>: whatever it may have written alone before it was lost is gone.
    /// </summary>
    public static async Task AssertRejoinedAsStandbyAsync(RealServers servers, string node, IReadOnlyCollection<string> accounts)
    {
        var primary = await servers.PrimaryAsync();
        Assert.NotEqual(node, primary);
        var waited = Stopwatch.StartNew();
        while (true)
        {
            var (inRecovery, standby) = await DigestAsync(servers, node, accounts);
            var (_, expected) = await DigestAsync(servers, primary, accounts);
            Assert.True(inRecovery, $"{node} is not in recovery: it did not rejoin as a standby");
            if (standby == expected)
            {
                return;
            }

            Assert.True(waited.Elapsed < CatchUp, $"{node} holds {standby}, the primary {primary} holds {expected}");
            await Task.Delay(250);
        }
    }

    private static async Task<(bool InRecovery, string Digest)> DigestAsync(RealServers servers, string node, IReadOnlyCollection<string> accounts)
    {
        var direct = new NpgsqlConnectionStringBuilder(servers.PostgresConnectionString)
        {
            Host = "127.0.0.1",
            Port = servers.Topology.Port(node, "port"),
            TargetSessionAttributes = "any",
            Pooling = false,
        };
        await using var connection = new NpgsqlConnection(direct.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            """
            SELECT pg_is_in_recovery(),
                   count(*) || ' rows, seqs ' || coalesce(sum(seq), 0) || ', balances ' || coalesce(sum(balance_after), 0)
            FROM ledger WHERE account_id = ANY(@ids)
            """, connection);
        command.Parameters.AddWithValue("ids", accounts.ToArray());
        await using var reader = await command.ExecuteReaderAsync();
        await reader.ReadAsync();
        return (reader.GetBoolean(0), reader.GetString(1));
    }
}
