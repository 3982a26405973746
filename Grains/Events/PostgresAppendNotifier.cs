using Microsoft.Extensions.Logging;
using Npgsql;

namespace Payments.Events;

/// <summary>
/// Sends <c>NOTIFY ledger_appended</c> (<see cref="PostgresLedgerAppends.Channel"/>) after ledger commits, from a
/// connection of its own, in a transaction of its own that waits only for the local disk (<c>synchronous_commit =
/// local</c>), at most once per <see cref="Spacing"/> however many commits came meanwhile (ADR 0023).
/// </summary>
/// <remarks>
/// PostgreSQL serializes every committing transaction that has notified, cluster-wide, until after its commit,
/// the synchronous standby's wait included (<c>PreCommit_Notify</c> in <c>src/backend/commands/async.c</c>). A
/// notification inside the ledger's own transactions (migration 0012's trigger, dropped by 0018) made the ledger
/// writer's concurrent commits wait for each other. Here only this transaction takes that lock, and nobody waits on
/// it. A failed notification is logged and dropped: the readers' slow poll finds the rows, and the connection is
/// opened again (on the new primary after a failover) for the next one.
/// </remarks>
public sealed class PostgresAppendNotifier : IAppendNotifier, IAsyncDisposable
{
    /// <summary>Readers serve notifications within 20 ms of their last read with one read (<see cref="FeedWaiter.Coalesce"/>).</summary>
    public static readonly TimeSpan Spacing = TimeSpan.FromMilliseconds(10);

    private readonly NpgsqlDataSource _dataSource;
    private readonly ILogger<PostgresAppendNotifier> _logger;
    private readonly CoalescedSignal _signal;
    private NpgsqlConnection? _connection;

    public PostgresAppendNotifier(NpgsqlDataSource dataSource, ILogger<PostgresAppendNotifier> logger)
    {
        _dataSource = dataSource;
        _logger = logger;
        _signal = new CoalescedSignal(NotifyAsync, Spacing, TimeProvider.System);
    }

    public void Appended() => _signal.Raise();

    private async Task NotifyAsync()
    {
        try
        {
            _connection ??= await OpenAsync();
            await using var notify = new NpgsqlCommand($"NOTIFY {PostgresLedgerAppends.Channel}", _connection);
            await notify.ExecuteNonQueryAsync();
        }
        catch (Exception ex) when (ex is NpgsqlException or InvalidOperationException or TimeoutException)
        {
            _logger.LogWarning("Ledger notifications: could not notify ({Error}); readers find the rows by their poll", ex.Message);
            await DisposeAsync();
        }
    }

    private async Task<NpgsqlConnection> OpenAsync()
    {
        var connection = await _dataSource.OpenConnectionAsync();
        try
        {
            await using var local = new NpgsqlCommand("SET synchronous_commit = local", connection);
            await local.ExecuteNonQueryAsync();
            return connection;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_connection is { } connection)
        {
            _connection = null;
            await connection.DisposeAsync();
        }
    }
}
