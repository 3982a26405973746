namespace Payments.Events;

/// <summary>
/// How one feed reader waits for more rows: until the next append it hears of (<see cref="ILedgerAppends"/>), and at
/// most <c>fallback</c>, the slow poll that makes a lost notification cost latency, never an event.
/// </summary>
/// <remarks>
/// A notification can come before its rows are readable: an older transaction still running holds the horizon back
/// (ADR 0016). So after a wake whose read brought nothing new, the reader looks again soon, then less and less often
/// (<see cref="FirstRecheck"/>, doubling up to the fallback). Under load, notifications arriving within
/// <see cref="Coalesce"/> of the last read are served by one read, so a reader reads at most that often.
/// </remarks>
public sealed class FeedWaiter(ILedgerAppends appends, TimeSpan fallback, TimeProvider time)
{
    public static readonly TimeSpan Coalesce = TimeSpan.FromMilliseconds(20);
    public static readonly TimeSpan FirstRecheck = TimeSpan.FromMilliseconds(25);

    private static readonly Task Never = new TaskCompletionSource().Task;

    private Task _wake = Never;
    private TimeSpan _recheck;
    private long _readAt;

    /// <summary>Call right before a read: appends heard from now on end the next wait.</summary>
    public void Reading()
    {
        _wake = appends.Next;
        _readAt = time.GetTimestamp();
    }

    /// <summary>
    /// Waits after a read: for an append heard since <see cref="Reading"/>, <paramref name="other"/> (given a token
    /// that is cancelled when the wait ends), <paramref name="atMost"/> when given, or the fallback, whichever comes first.
    /// </summary>
    /// <param name="progressed">The read brought rows it had not seen (no recheck is due).</param>
    public async Task WaitAsync(bool progressed, TimeSpan? atMost, Func<CancellationToken, Task>? other, CancellationToken cancellationToken)
    {
        if (progressed)
        {
            _recheck = TimeSpan.Zero;
        }

        var limit = _recheck > TimeSpan.Zero ? _recheck : fallback;
        using var waiting = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var timeout = Task.Delay(atMost < limit ? atMost.Value : limit, time, waiting.Token);
        var wake = _wake;
        var first = await Task.WhenAny(wake, timeout, other?.Invoke(waiting.Token) ?? Never);
        await waiting.CancelAsync();
        cancellationToken.ThrowIfCancellationRequested();
        // A wake is used once: until the next read, only the timeout and the other task end a wait.
        _wake = Never;
        if (first == wake)
        {
            _recheck = FirstRecheck;
            var sinceRead = time.GetElapsedTime(_readAt);
            if (sinceRead < Coalesce)
            {
                await Task.Delay(Coalesce - sinceRead, time, cancellationToken);
            }
        }
        else if (first == timeout && _recheck > TimeSpan.Zero)
        {
            _recheck = _recheck * 2 < fallback ? _recheck * 2 : TimeSpan.Zero;
        }
    }
}
