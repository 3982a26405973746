namespace Payments.Events;

/// <summary>
/// Tells the feed's readers in this process that the ledger may have new rows, so that they read at once rather than
/// poll: PostgreSQL's LISTEN/NOTIFY (<see cref="PostgresLedgerAppends"/>), or the in-memory ledger's own appends.
/// A hint only: readers still read by the horizon, and poll slowly in case a notification was lost.
/// </summary>
public interface ILedgerAppends
{
    /// <summary>
    /// Completes at the next append this process hears of, or when it may have missed some (a reconnect). Take it
    /// before reading, then wait on it: an append during the read completes it.
    /// </summary>
    Task Next { get; }
}

/// <summary>A <see cref="Task"/> that completes at the next <see cref="Raise"/>, for any number of waiters.</summary>
public sealed class AppendSignal
{
    private TaskCompletionSource _next = New();

    public Task Next => Volatile.Read(ref _next).Task;

    public void Raise() => Interlocked.Exchange(ref _next, New()).TrySetResult();

    private static TaskCompletionSource New() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}

/// <summary>
/// A process that hears of no appends: its ledger is in another process and it has no database of its own (the API
/// tests' API). Its readers find new rows by their slow poll.
/// </summary>
public sealed class UnheardLedgerAppends : ILedgerAppends
{
    private readonly TaskCompletionSource _never = new();

    public Task Next => _never.Task;
}
