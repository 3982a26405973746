using System.Text.Json.Nodes;
using Npgsql;

namespace Payments.Integration.Tests.Infrastructure;

/// <summary>An account's snapshot row in grain storage: its version (the etag), the last ledger seq it holds, its balance.</summary>
public sealed record AccountSnapshot(int Version, long LastSeq, long Balance);

/// <summary>
/// Reads and deletes the account snapshots that silos write through Orleans grain storage, straight from the
/// <c>orleansstorage</c> table. The AdoNet provider stores the state as JSON that leaves out default values.
/// </summary>
public sealed class AccountSnapshots(RealServers servers, string serviceId)
{
    private const string Identity =
        "serviceid = @serviceId AND grainidextensionstring = @accountId AND graintypestring = 'account'";

    /// <summary>The account's snapshot, or null when it has none.</summary>
    public async Task<AccountSnapshot?> ReadAsync(string accountId)
    {
        await using var connection = await servers.OpenPostgresAsync();
        await using var command = new NpgsqlCommand(
            $"SELECT version, convert_from(payloadbinary, 'UTF8') FROM orleansstorage WHERE {Identity}", connection);
        Bind(command, accountId);
        await using var reader = await command.ExecuteReaderAsync();
        if (!await reader.ReadAsync() || reader.IsDBNull(1))
        {
            return null;
        }

        var state = JsonNode.Parse(reader.GetString(1))!;
        return new AccountSnapshot(reader.GetInt32(0), (long?)state["LastSeq"] ?? 0, (long?)state["Balance"] ?? 0);
    }

    /// <summary>Deletes the account's snapshot row: the next activation has only the ledger to rebuild from.</summary>
    public async Task DeleteAsync(string accountId)
    {
        await using var connection = await servers.OpenPostgresAsync();
        await using var command = new NpgsqlCommand($"DELETE FROM orleansstorage WHERE {Identity}", connection);
        Bind(command, accountId);
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>Moves the snapshot's version on, as a write by another activation (another region) would.</summary>
    public async Task BumpVersionAsync(string accountId)
    {
        await using var connection = await servers.OpenPostgresAsync();
        await using var command = new NpgsqlCommand($"UPDATE orleansstorage SET version = version + 1 WHERE {Identity}", connection);
        Bind(command, accountId);
        await command.ExecuteNonQueryAsync();
    }

    private void Bind(NpgsqlCommand command, string accountId)
    {
        command.Parameters.AddWithValue("serviceId", serviceId);
        command.Parameters.AddWithValue("accountId", accountId);
    }
}
