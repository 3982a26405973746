using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Payments.Events;

/// <summary>
/// One connection per process that LISTENs on <see cref="Channel"/>, where every ledger insert notifies (migration
/// 0012's trigger; PostgreSQL delivers it when the writing transaction commits). The connection comes from the
/// process's multi-host data source (<c>Target Session Attributes=primary</c>): after a Patroni failover it breaks, and
/// the next one listens on the new primary. Every (re)connection raises the signal, since appends in the gap went
/// unheard; readers also poll slowly, so a lost notification costs latency, never an event.
/// </summary>
public sealed class PostgresLedgerAppends(NpgsqlDataSource dataSource, ILogger<PostgresLedgerAppends> logger) : BackgroundService, ILedgerAppends
{
    public const string Channel = "ledger_appended";

    /// <summary>After this long without a notification, a ping checks that the connection still stands.</summary>
    private static readonly TimeSpan IdleCheck = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan FirstReconnectDelay = TimeSpan.FromMilliseconds(250);
    private static readonly TimeSpan MaxReconnectDelay = TimeSpan.FromSeconds(5);

    private readonly AppendSignal _signal = new();
    private TimeSpan _reconnectDelay = FirstReconnectDelay;

    public Task Next => _signal.Next;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await ListenAsync(stoppingToken);
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                logger.LogWarning("Ledger notifications: {Error}; listening again in {Delay} ms", ex.Message, _reconnectDelay.TotalMilliseconds);
                _signal.Raise();
                await Task.Delay(_reconnectDelay, stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
                _reconnectDelay = TimeSpan.FromTicks(Math.Min(_reconnectDelay.Ticks * 2, MaxReconnectDelay.Ticks));
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private async Task ListenAsync(CancellationToken stoppingToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(stoppingToken);
        connection.Notification += (_, _) => _signal.Raise();
        await using (var listen = new NpgsqlCommand($"LISTEN {Channel}", connection))
        {
            await listen.ExecuteNonQueryAsync(stoppingToken);
        }

        logger.LogInformation("Ledger notifications: listening on {Host}", connection.Host);
        _reconnectDelay = FirstReconnectDelay;
        _signal.Raise();
        while (true)
        {
            if (!await connection.WaitAsync(IdleCheck, stoppingToken))
            {
                await using var ping = new NpgsqlCommand("SELECT 1", connection);
                await ping.ExecuteScalarAsync(stoppingToken);
            }
        }
    }
}
