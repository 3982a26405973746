using Npgsql;
using Orleans.Hosting;
using Orleans.Storage;
using Orleans.TestingHost;
using Payments.Integration.Tests.Infrastructure;
using Payments.Integration.Tests.TestGrains;

namespace Payments.Integration.Tests;

/// <summary>
/// Orleans ADO.NET grain storage on the real PostgreSQL, with the schema of
/// <c>Silo/Migrations/0001_orleans_grain_storage.sql</c>.
/// </summary>
[Collection(RealServersCollection.Name)]
public sealed class GrainStorageTests(RealServers servers)
{
    [Fact]
    public async Task State_written_through_AdoNet_storage_survives_deactivation()
    {
        await using var cluster = await StartClusterAsync(NewServiceId());
        var grain = cluster.Client.GetGrain<IStorageProbeGrain>(NewKey());

        await grain.SaveAsync("opened", 10_000);
        await grain.SaveAsync("paid", 7_550);
        var before = await grain.GetAsync();
        await cluster.DeactivateAsync(grain);
        var after = await grain.GetAsync();

        Assert.NotEqual(before.ActivationId, after.ActivationId);
        Assert.Equal(("paid", 7_550L, 2), (after.Note, after.Balance, after.Saves));
        Assert.True(after.RecordExists);
        Assert.Equal("2", after.ETag);
        Assert.Equal(2, await StoredVersionAsync(cluster.Options.ServiceId, grain.GetPrimaryKeyString()));
    }

    [Fact]
    public async Task A_cluster_with_the_same_service_id_reads_the_state_another_cluster_wrote()
    {
        // The two regions share a ServiceId and the database, so either one can load any account.
        var serviceId = NewServiceId();
        var key = NewKey();
        await using (var regionA = await StartClusterAsync(serviceId))
        {
            await regionA.Client.GetGrain<IStorageProbeGrain>(key).SaveAsync("written in A", 42);
        }

        await using var regionB = await StartClusterAsync(serviceId);
        var read = await regionB.Client.GetGrain<IStorageProbeGrain>(key).GetAsync();

        Assert.Equal(("written in A", 42L, "1"), (read.Note, read.Balance, read.ETag));
    }

    [Fact]
    public async Task First_write_of_a_grain_that_another_cluster_wrote_first_is_rejected()
    {
        var serviceId = NewServiceId();
        var key = NewKey();
        await using var regionA = await StartClusterAsync(serviceId);
        await using var regionB = await StartClusterAsync(serviceId);
        var inA = regionA.Client.GetGrain<IStorageProbeGrain>(key);
        var inB = regionB.Client.GetGrain<IStorageProbeGrain>(key);
        // Both activations read "no state yet" before either writes: a split brain.
        Assert.False((await inA.GetAsync()).RecordExists);
        Assert.False((await inB.GetAsync()).RecordExists);

        await inA.SaveAsync("A won", 1);
        await Assert.ThrowsAsync<InconsistentStateException>(() => inB.SaveAsync("B lost", 2));

        await regionA.DeactivateAsync(inA);
        var stored = await inA.GetAsync();
        Assert.Equal(("A won", 1L, "1"), (stored.Note, stored.Balance, stored.ETag));
    }

    [Fact]
    public async Task Write_with_a_stale_etag_is_rejected()
    {
        var serviceId = NewServiceId();
        var key = NewKey();
        await using var regionA = await StartClusterAsync(serviceId);
        await using var regionB = await StartClusterAsync(serviceId);
        var inA = regionA.Client.GetGrain<IStorageProbeGrain>(key);
        await inA.SaveAsync("v1", 100);
        var inB = regionB.Client.GetGrain<IStorageProbeGrain>(key);
        await inB.SaveAsync("v2 from B", 200);

        // A still holds etag 1, B moved the row to version 2.
        await Assert.ThrowsAsync<InconsistentStateException>(() => inA.SaveAsync("v2 from A", 300));

        Assert.Equal(2, await StoredVersionAsync(serviceId, key));
        await regionA.DeactivateAsync(inA);
        Assert.Equal("v2 from B", (await inA.GetAsync()).Note);
    }

    [Fact]
    public async Task Cleared_state_reads_as_absent_and_can_be_written_again()
    {
        await using var cluster = await StartClusterAsync(NewServiceId());
        var grain = cluster.Client.GetGrain<IStorageProbeGrain>(NewKey());
        await grain.SaveAsync("to be cleared", 5);

        await grain.ClearAsync();
        await cluster.DeactivateAsync(grain);
        var cleared = await grain.GetAsync();
        await grain.SaveAsync("after clear", 6);
        await cluster.DeactivateAsync(grain);
        var rewritten = await grain.GetAsync();

        Assert.False(cleared.RecordExists);
        Assert.Equal(("", 0L, "2"), (cleared.Note, cleared.Balance, cleared.ETag));
        Assert.Equal(("after clear", 6L, "3"), (rewritten.Note, rewritten.Balance, rewritten.ETag));
    }

    [Fact]
    public async Task Grain_storage_works_again_after_postgres_restarts()
    {
        await using var cluster = await StartClusterAsync(NewServiceId());
        var grain = cluster.Client.GetGrain<IStorageProbeGrain>(NewKey());
        await grain.SaveAsync("before the outage", 1);

        await servers.StopPostgresAsync();
        try
        {
            await Assert.ThrowsAnyAsync<Exception>(() => grain.SaveAsync("during the outage", 2));
        }
        finally
        {
            await servers.StartPostgresAsync();
        }

        await grain.SaveAsync("after the outage", 3);
        await cluster.DeactivateAsync(grain);
        var reloaded = await grain.GetAsync();

        Assert.Equal(("after the outage", 3L), (reloaded.Note, reloaded.Balance));
    }

    private async Task<InProcessTestCluster> StartClusterAsync(string serviceId)
    {
        var builder = new InProcessTestClusterBuilder(1);
        builder.Options.ServiceId = serviceId;
        builder.Options.ConfigureFileLogging = false;
        builder.ConfigureSilo((_, silo) => silo.AddAdoNetGrainStorage("accounts", options =>
        {
            options.Invariant = "Npgsql";
            options.ConnectionString = servers.PostgresConnectionString;
        }));
        var cluster = builder.Build();
        await cluster.DeployAsync();
        return cluster;
    }

    private async Task<int?> StoredVersionAsync(string serviceId, string key)
    {
        await using var connection = await servers.OpenPostgresAsync();
        await using var command = new NpgsqlCommand(
            "SELECT version FROM orleansstorage WHERE serviceid = @serviceId AND grainidextensionstring = @key",
            connection);
        command.Parameters.AddWithValue("serviceId", serviceId);
        command.Parameters.AddWithValue("key", key);
        return await command.ExecuteScalarAsync() as int?;
    }

    private static string NewServiceId() => $"payments-tests-{Guid.NewGuid():N}";

    private static string NewKey() => $"probe-{Guid.NewGuid():N}";
}
