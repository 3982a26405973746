using System.Collections.Concurrent;

namespace Payments.Drill;

/// <summary>
/// Steady load: one terminal loop per account, each paying one payment after another with a fresh Idempotency-Key,
/// until stopped. Every final answer is kept so that it can be checked against the ledger.
/// </summary>
public sealed class TerminalFleet(PaymentTerminal terminal, string runId, TimeSpan pause)
{
    private readonly ConcurrentQueue<PaymentOutcome> _outcomes = new();

    public IReadOnlyCollection<PaymentOutcome> Outcomes => _outcomes;

    /// <summary>Pays from every account until <paramref name="stop"/> is cancelled; the payments in flight finish.</summary>
    public Task RunAsync(IReadOnlyList<DrillAccount> accounts, CancellationToken stop) =>
        Task.WhenAll(accounts.Select(account => Task.Run(() => PayUntilStoppedAsync(account, stop), CancellationToken.None)));

    private async Task PayUntilStoppedAsync(DrillAccount account, CancellationToken stop)
    {
        var random = new Random(account.AccountId.GetHashCode(StringComparison.Ordinal));
        for (var n = 1; !stop.IsCancellationRequested; n++)
        {
            _outcomes.Enqueue(await terminal.PayAsync(account, $"{runId}-{account.AccountId}-{n}", random.Next(100, 2_000)));
            try
            {
                await Task.Delay(pause, stop);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }
}
