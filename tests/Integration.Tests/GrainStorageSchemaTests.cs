using Npgsql;
using Payments.Integration.Tests.Infrastructure;

namespace Payments.Integration.Tests;

/// <summary>
/// The grain storage schema straight through SQL: the unique grain key and the version (etag) checks
/// of <c>orleans_storage_write</c>, which the provider calls for every WriteStateAsync.
/// </summary>
[Collection(RealServersCollection.Name)]
public sealed class GrainStorageSchemaTests(RealServers servers)
{
    private const string Write = """
        SELECT orleans_storage_write(@idHash, 0, 0, @typeHash, @type, @key, @serviceId, @expected, @payload)
        """;

    private static readonly TimeSpan LockWaitTimeout = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Two_concurrent_first_writes_of_the_same_grain_let_exactly_one_succeed()
    {
        var grain = GrainRow.New();
        await using var first = await servers.OpenPostgresAsync();
        await using var second = await servers.OpenPostgresAsync();

        // The first write is made but not committed when the second one starts: the case the
        // reference schema's NOT EXISTS check cannot see.
        await using var firstTransaction = await first.BeginTransactionAsync();
        var firstVersion = await WriteAsync(first, grain, expectedVersion: null, "first"u8.ToArray(), firstTransaction);
        var secondWrite = WriteAsync(second, grain, expectedVersion: null, "second"u8.ToArray());
        await WaitUntilBlockedAsync(second.ProcessID);
        await firstTransaction.CommitAsync();
        var secondVersion = await secondWrite;

        Assert.Equal(1, firstVersion);
        Assert.Null(secondVersion);
        Assert.Equal([(1, "first")], await StoredRowsAsync(grain));
    }

    [Fact]
    public async Task Many_simultaneous_first_writes_of_the_same_grain_let_exactly_one_succeed()
    {
        const int Writers = 8;
        var grain = GrainRow.New();
        var connections = new List<NpgsqlConnection>();
        try
        {
            for (var i = 0; i < Writers; i++)
            {
                connections.Add(await servers.OpenPostgresAsync());
            }

            // An awaited gate rather than a Barrier: blocking eight pool threads on two cores starves the pool.
            var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var writes = connections.Select(async (connection, i) =>
            {
                await start.Task;
                return await WriteAsync(connection, grain, expectedVersion: null, [(byte)('a' + i)]);
            }).ToList();
            start.SetResult();
            var versions = await Task.WhenAll(writes);

            Assert.Equal([1], versions.Where(v => v is not null).Select(v => v!.Value));
            Assert.Single(await StoredRowsAsync(grain));
        }
        finally
        {
            foreach (var connection in connections)
            {
                await connection.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task Write_with_a_stale_version_is_rejected_and_changes_nothing()
    {
        var grain = GrainRow.New();
        await using var connection = await servers.OpenPostgresAsync();

        var created = await WriteAsync(connection, grain, expectedVersion: null, "v1"u8.ToArray());
        var updated = await WriteAsync(connection, grain, expectedVersion: 1, "v2"u8.ToArray());
        var stale = await WriteAsync(connection, grain, expectedVersion: 1, "stale"u8.ToArray());
        var secondFirstWrite = await WriteAsync(connection, grain, expectedVersion: null, "again"u8.ToArray());

        Assert.Equal((1, 2), (created, updated));
        Assert.Null(stale);
        Assert.Null(secondFirstWrite);
        Assert.Equal([(2, "v2")], await StoredRowsAsync(grain));
    }

    [Fact]
    public async Task The_grain_key_is_unique_even_for_rows_not_written_by_the_write_function()
    {
        var grain = GrainRow.New();
        await using var connection = await servers.OpenPostgresAsync();
        const string Insert = """
            INSERT INTO orleansstorage (grainidextensionstring, grainidn0, grainidn1, graintypestring, serviceid,
                                        grainidhash, graintypehash, payloadbinary, version)
            VALUES (@key, 0, 0, @type, @serviceId, @idHash, @typeHash, NULL, 1)
            """;

        await ExecuteAsync(connection, Insert, grain);
        var duplicate = await Assert.ThrowsAsync<PostgresException>(() => ExecuteAsync(connection, Insert, grain));

        Assert.Equal(PostgresErrorCodes.UniqueViolation, duplicate.SqlState);
    }

    [Fact]
    public async Task The_provider_finds_all_its_queries()
    {
        await using var connection = await servers.OpenPostgresAsync();
        await using var command = new NpgsqlCommand("SELECT querykey FROM orleansquery ORDER BY querykey", connection);
        var keys = new List<string>();
        await using (var reader = await command.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                keys.Add(reader.GetString(0));
            }
        }

        Assert.Superset(
            new HashSet<string> { "ClearStorageKey", "DeleteStorageKey", "ReadFromStorageKey", "WriteToStorageKey" },
            keys.ToHashSet());
    }

    [Fact]
    public async Task The_providers_write_query_commits_its_snapshot_asynchronously_and_nothing_after_it()
    {
        var grain = GrainRow.New();
        await using var connection = await servers.OpenPostgresAsync();
        await using var read = new NpgsqlCommand("SELECT querytext FROM orleansquery WHERE querykey = 'WriteToStorageKey'", connection);
        var providerQuery = (string)(await read.ExecuteScalarAsync())!;

        await using var transaction = await connection.BeginTransactionAsync();
        await using (var write = new NpgsqlCommand(providerQuery, connection, transaction))
        {
            write.Parameters.AddWithValue("GrainIdHash", grain.IdHash);
            write.Parameters.AddWithValue("GrainIdN0", 0L);
            write.Parameters.AddWithValue("GrainIdN1", 0L);
            write.Parameters.AddWithValue("GrainTypeHash", grain.TypeHash);
            write.Parameters.AddWithValue("GrainTypeString", grain.Type);
            write.Parameters.AddWithValue("GrainIdExtensionString", grain.Key);
            write.Parameters.AddWithValue("ServiceId", grain.ServiceId);
            write.Parameters.Add(new NpgsqlParameter<int?>("GrainStateVersion", NpgsqlTypes.NpgsqlDbType.Integer) { TypedValue = null });
            write.Parameters.AddWithValue("PayloadBinary", "snapshot"u8.ToArray());
            Assert.Equal(1, await write.ExecuteScalarAsync());
        }

        var duringWrite = await SettingAsync(connection, transaction);
        await transaction.CommitAsync();
        var afterWrite = await SettingAsync(connection, null);

        Assert.Equal(("off", "on"), (duringWrite, afterWrite));
        Assert.Equal([(1, "snapshot")], await StoredRowsAsync(grain));
    }

    private static async Task<string> SettingAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction)
    {
        await using var show = new NpgsqlCommand("SHOW synchronous_commit", connection, transaction);
        return (string)(await show.ExecuteScalarAsync())!;
    }

    private static async Task<int?> WriteAsync(
        NpgsqlConnection connection, GrainRow grain, int? expectedVersion, byte[] payload, NpgsqlTransaction? transaction = null)
    {
        await using var command = new NpgsqlCommand(Write, connection, transaction);
        AddKey(command, grain);
        command.Parameters.Add(new NpgsqlParameter<int?>("expected", NpgsqlTypes.NpgsqlDbType.Integer) { TypedValue = expectedVersion });
        command.Parameters.AddWithValue("payload", payload);
        var result = await command.ExecuteScalarAsync();
        return result is DBNull ? null : (int?)result;
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql, GrainRow grain)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        AddKey(command, grain);
        await command.ExecuteNonQueryAsync();
    }

    private static void AddKey(NpgsqlCommand command, GrainRow grain)
    {
        command.Parameters.AddWithValue("idHash", grain.IdHash);
        command.Parameters.AddWithValue("typeHash", grain.TypeHash);
        command.Parameters.AddWithValue("type", grain.Type);
        command.Parameters.AddWithValue("key", grain.Key);
        command.Parameters.AddWithValue("serviceId", grain.ServiceId);
    }

    private async Task<List<(int Version, string Payload)>> StoredRowsAsync(GrainRow grain)
    {
        await using var connection = await servers.OpenPostgresAsync();
        await using var command = new NpgsqlCommand(
            """
            SELECT version, convert_from(payloadbinary, 'UTF8') FROM orleansstorage
            WHERE grainidextensionstring = @key AND graintypestring = @type AND serviceid = @serviceId
            """,
            connection);
        AddKey(command, grain);
        var rows = new List<(int, string)>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            rows.Add((reader.GetInt32(0), reader.GetString(1)));
        }

        return rows;
    }

    // Polls the server until the session is waiting on a lock, i.e. on the other write's uncommitted key.
    private async Task WaitUntilBlockedAsync(int processId)
    {
        await using var connection = await servers.OpenPostgresAsync();
        await using var command = new NpgsqlCommand(
            "SELECT wait_event_type FROM pg_stat_activity WHERE pid = @pid", connection);
        command.Parameters.AddWithValue("pid", processId);
        using var timeout = new CancellationTokenSource(LockWaitTimeout);
        while (await command.ExecuteScalarAsync(timeout.Token) as string != "Lock")
        {
            await Task.Delay(20, timeout.Token);
        }
    }

    private sealed record GrainRow(string ServiceId, string Type, string Key, int IdHash, int TypeHash)
    {
        public static GrainRow New()
        {
            var key = $"acct-{Guid.NewGuid():N}";
            return new GrainRow($"schema-tests-{Guid.NewGuid():N}", "payments.tests.probe", key, key.GetHashCode(StringComparison.Ordinal), 17);
        }
    }
}
