using System.Diagnostics;
using HdrHistogram;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using Payments.Contracts;
using Payments.Events;
using Payments.Ledger;
using Payments.Ledger.Changes;

namespace Payments.Bench.Settlement;

/// <summary>
/// Closed-loop payers, each like an account grain: it appends its account's next payment row through the silo's real
/// <see cref="LedgerWriter"/> (group commit into <see cref="PostgresLedgerStore"/>) and waits until it is durable,
/// then appends the next. The latency of each append goes to the histogram of the phase in progress.
/// </summary>
internal sealed class Payer(NpgsqlDataSource dataSource, int payers) : IAsyncDisposable
{
    private readonly PostgresLedgerStore _store = new(dataSource, new PostgresAppendNotifier(dataSource, NullLogger<PostgresAppendNotifier>.Instance));
    private readonly LedgerWriter _writer = new(
        new PostgresLedgerStore(dataSource, new PostgresAppendNotifier(dataSource, NullLogger<PostgresAppendNotifier>.Instance)),
        new LedgerMetrics(), NullLogger<LedgerWriter>.Instance);
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Task> _loops = [];
    private LongConcurrentHistogram _phase = NewHistogram();

    /// <summary>Opens the payers' accounts and starts paying, dated the day after the settled one.</summary>
    public async Task StartAsync()
    {
        await _writer.StartingAsync(CancellationToken.None);
        for (var i = 0; i < payers; i++)
        {
            var id = $"payer-{i:D4}";
            var open = Entry(id, 1, 1_000_000_000,
                new AccountOpened("EUR", 1_000_000_000, new AccountSettings(BenchDatabase.Region, AccountLimits.None, AccountStatus.Active)));
            await _store.OpenAccountAsync(open, CancellationToken.None);
            _loops.Add(Task.Run(() => PayAsync(id)));
        }
    }

    /// <summary>Starts a new phase; returns the latencies (microseconds) of the one that ends.</summary>
    public LongConcurrentHistogram NextPhase() => Interlocked.Exchange(ref _phase, NewHistogram());

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await Task.WhenAll(_loops);
        await _writer.StoppedAsync(CancellationToken.None);
        _stop.Dispose();
    }

    private async Task PayAsync(string accountId)
    {
        long balance = 1_000_000_000;
        for (long seq = 2; !_stop.IsCancellationRequested; seq++)
        {
            balance -= 1;
            var started = Stopwatch.GetTimestamp();
            if (!await _writer.AppendAsync([Entry(accountId, seq, balance,
                    new PaymentDecided(1, "EUR", "Boulangerie", "5411", PaymentStatus.Approved, null))]))
            {
                throw new InvalidOperationException($"Payment {seq} of {accountId} was refused by the ledger.");
            }

            Volatile.Read(ref _phase).RecordValue((long)Stopwatch.GetElapsedTime(started).TotalMicroseconds);
        }
    }

    private static LongConcurrentHistogram NewHistogram() => new(1, 60_000_000, 3);

    private static LedgerEntry Entry(string accountId, long seq, long balanceAfter, LedgerChange change) => new(
        accountId, seq, $"{change.Kind}-{seq}", "bench", balanceAfter, balanceAfter, DateTimeOffset.UtcNow,
        BenchDatabase.Day.AddDays(1), BenchDatabase.Region, change);
}
