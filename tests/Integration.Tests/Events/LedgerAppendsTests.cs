using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using Payments.Events;
using Payments.Integration.Tests.Infrastructure;

namespace Payments.Integration.Tests.Events;

/// <summary>
/// The feed readers' wake-up on the real PostgreSQL: the ledger store notifies after its commits (PostgresAppendNotifier)
/// the one listening connection of the process, which listens again after its connection is lost (as at a failover).
/// </summary>
[Collection(RealServersCollection.Name)]
public sealed class LedgerAppendsTests(RealServers servers) : IAsyncDisposable
{
    private static readonly TimeSpan Heard = TimeSpan.FromSeconds(10);
    private readonly NpgsqlDataSource _db = NpgsqlDataSource.Create(servers.PostgresConnectionString);
    // The listener's own connections, named so that the test can kill them and only them.
    private readonly string _name = "appends-" + Guid.NewGuid().ToString("N")[..12];
    private NpgsqlDataSource? _listenerDb;

    private NpgsqlDataSource ListenerDb => _listenerDb ??= new NpgsqlDataSourceBuilder(servers.PostgresConnectionString)
    {
        ConnectionStringBuilder = { ApplicationName = _name },
    }.Build();
    private readonly DateOnly _day = LedgerRows.NewBusinessDate();

    [Fact]
    public async Task A_committed_ledger_insert_is_heard_and_the_listener_listens_again_after_its_connection_is_killed()
    {
        using var listener = new PostgresLedgerAppends(ListenerDb, NullLogger<PostgresLedgerAppends>.Instance);
        var listening = listener.Next;
        await listener.StartAsync(CancellationToken.None);
        await listening.WaitAsync(Heard);
        var rows = new LedgerRows(_db);
        var account = await OpenHeardAsync(listener, rows);

        var first = listener.Next;
        await rows.AppendAsync(rows.Payment(account, _day, 10));
        await first.WaitAsync(Heard);

        var reconnected = listener.Next;
        await KillListeningConnectionsAsync();
        await reconnected.WaitAsync(Heard);
        var afterReconnect = await HeardAfterListeningAgainAsync(listener, () => rows.AppendAsync(rows.Payment(account, _day, 10)));

        Assert.True(afterReconnect, "An append after the reconnection was heard.");
        await listener.StopAsync(CancellationToken.None);
    }

    [Fact]
    public async Task A_raw_ledger_insert_is_not_heard_and_an_append_through_the_store_is_heard_after_its_commit()
    {
        using var listener = new PostgresLedgerAppends(ListenerDb, NullLogger<PostgresLedgerAppends>.Instance);
        var listening = listener.Next;
        await listener.StartAsync(CancellationToken.None);
        await listening.WaitAsync(Heard);
        var rows = new LedgerRows(_db);
        var account = await OpenHeardAsync(listener, rows);

        // No trigger notifies from inside a ledger transaction (migration 0018), so a ledger commit never takes
        // PostgreSQL's cluster-wide notification lock: the store notifies after its commit, from a transaction of its own.
        var next = listener.Next;
        await using (var connection = await _db.OpenConnectionAsync())
        await using (var transaction = await connection.BeginTransactionAsync())
        {
            await using var insert = new NpgsqlCommand("INSERT INTO ledger SELECT * FROM ledger WHERE false", connection, transaction);
            await insert.ExecuteNonQueryAsync();
            await transaction.CommitAsync();
        }

        await Task.Delay(500);
        var heardRawInsert = next.IsCompleted;
        await rows.AppendAsync(rows.Payment(account, _day, 10));
        await next.WaitAsync(Heard);

        Assert.False(heardRawInsert, "A raw insert into the ledger was heard: something notifies inside ledger transactions.");
        await listener.StopAsync(CancellationToken.None);
    }

    /// <summary>Opens an account and waits for the opening row's own notification, so that it is not taken for a later one.</summary>
    private async Task<string> OpenHeardAsync(PostgresLedgerAppends listener, LedgerRows rows)
    {
        var opened = listener.Next;
        var account = await rows.OpenAsync(LedgerRows.NewRegion(), _day);
        await opened.WaitAsync(Heard);
        return account;
    }

    /// <summary>The kill may land before the new connection listens: append until one is heard, a few times at most.</summary>
    private static async Task<bool> HeardAfterListeningAgainAsync(PostgresLedgerAppends listener, Func<Task> append)
    {
        for (var attempt = 0; attempt < 20; attempt++)
        {
            var next = listener.Next;
            await append();
            if (await Task.WhenAny(next, Task.Delay(500)) == next)
            {
                return true;
            }
        }

        return false;
    }

    private async Task KillListeningConnectionsAsync()
    {
        await using var kill = _db.CreateCommand(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE application_name = @name");
        kill.Parameters.AddWithValue("name", _name);
        Assert.Equal(1L, await kill.ExecuteScalarAsync());
    }

    public async ValueTask DisposeAsync()
    {
        await _db.DisposeAsync();
        if (_listenerDb is not null)
        {
            await _listenerDb.DisposeAsync();
        }
    }
}
