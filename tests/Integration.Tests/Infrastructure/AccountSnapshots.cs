using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Orleans.Serialization;
using Payments.Accounts;

namespace Payments.Integration.Tests.Infrastructure;

/// <summary>An account's snapshot row in grain storage: its version (the etag), the last ledger seq it holds, its balance.</summary>
public sealed record AccountSnapshot(int Version, long LastSeq, long Balance);

/// <summary>
/// Reads and deletes the account snapshots that silos write through Orleans grain storage, straight from the
/// <c>orleansstorage</c> table, in the silos' snapshot format.
/// </summary>
public sealed class AccountSnapshots(RealServers servers, string serviceId)
{
    // The silos' own snapshot format (a version byte, then Orleans' binary serialization); these tests' silos write no
    // snapshot in the earlier JSON format.
    private static readonly SnapshotFormat Format = new(
        new ServiceCollection().AddSerializer(builder => builder.AddAssembly(typeof(AccountState).Assembly))
            .BuildServiceProvider().GetRequiredService<Serializer>(),
        earlier: null!);

    private const string Identity =
        "serviceid = @serviceId AND grainidextensionstring = @accountId AND graintypestring = 'account'";

    /// <summary>The account's snapshot, or null when it has none.</summary>
    public async Task<AccountSnapshot?> ReadAsync(string accountId)
    {
        await using var connection = await servers.OpenPostgresAsync();
        await using var command = new NpgsqlCommand(
            $"SELECT version, payloadbinary FROM orleansstorage WHERE {Identity}", connection);
        Bind(command, accountId);
        await using var reader = await command.ExecuteReaderAsync();
        if (!await reader.ReadAsync() || reader.IsDBNull(1))
        {
            return null;
        }

        var state = Format.Deserialize<AccountState>(new BinaryData((byte[])reader.GetValue(1)))!;
        return new AccountSnapshot(reader.GetInt32(0), state.LastSeq, state.Balance);
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
