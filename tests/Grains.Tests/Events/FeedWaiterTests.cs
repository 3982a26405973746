using Microsoft.Extensions.Time.Testing;
using Payments.Events;

namespace Payments.Grains.Tests.Events;

/// <summary>How a feed reader waits: woken by an append, else by the slow poll; a wake that brought nothing is looked at again soon.</summary>
public sealed class FeedWaiterTests
{
    private static readonly TimeSpan Fallback = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan Settle = TimeSpan.FromSeconds(5);

    private readonly FakeTimeProvider _clock = new();
    private readonly Appends _appends = new();

    [Fact]
    public async Task An_append_heard_during_the_wait_ends_it_long_before_the_fallback()
    {
        var waiter = new FeedWaiter(_appends, Fallback, _clock);
        waiter.Reading();

        var wait = waiter.WaitAsync(progressed: true, null, null, CancellationToken.None);
        Assert.False(wait.IsCompleted);
        _appends.Signal.Raise();
        _clock.Advance(FeedWaiter.Coalesce);

        await wait.WaitAsync(Settle);
    }

    [Fact]
    public async Task An_append_heard_during_the_read_ends_the_wait_at_once()
    {
        var waiter = new FeedWaiter(_appends, Fallback, _clock);
        waiter.Reading();
        _appends.Signal.Raise();
        _clock.Advance(FeedWaiter.Coalesce);

        await waiter.WaitAsync(progressed: true, null, null, CancellationToken.None).WaitAsync(Settle);
    }

    [Fact]
    public async Task Without_a_notification_the_wait_ends_at_the_fallback_and_not_before()
    {
        var waiter = new FeedWaiter(_appends, Fallback, _clock);
        waiter.Reading();

        var wait = waiter.WaitAsync(progressed: true, null, null, CancellationToken.None);
        _clock.Advance(Fallback - TimeSpan.FromMilliseconds(1));
        Assert.False(wait.IsCompleted);
        _clock.Advance(TimeSpan.FromMilliseconds(1));

        await wait.WaitAsync(Settle);
    }

    [Fact]
    public async Task A_wake_whose_read_brought_nothing_is_looked_at_again_soon_then_less_and_less_often()
    {
        var waiter = new FeedWaiter(_appends, Fallback, _clock);
        waiter.Reading();
        _appends.Signal.Raise();
        _clock.Advance(FeedWaiter.Coalesce);
        await waiter.WaitAsync(progressed: true, null, null, CancellationToken.None).WaitAsync(Settle);

        // The rows of that append were still behind the horizon: the next reads find nothing.
        waiter.Reading();
        var first = waiter.WaitAsync(progressed: false, null, null, CancellationToken.None);
        _clock.Advance(FeedWaiter.FirstRecheck);
        await first.WaitAsync(Settle);
        waiter.Reading();
        var second = waiter.WaitAsync(progressed: false, null, null, CancellationToken.None);
        _clock.Advance(FeedWaiter.FirstRecheck);
        Assert.False(second.IsCompleted);
        _clock.Advance(FeedWaiter.FirstRecheck);
        await second.WaitAsync(Settle);
    }

    [Fact]
    public async Task A_wait_ends_at_its_own_limit_or_when_the_other_task_completes()
    {
        var waiter = new FeedWaiter(_appends, Fallback, _clock);
        var other = new TaskCompletionSource();
        waiter.Reading();

        var limited = waiter.WaitAsync(progressed: true, TimeSpan.FromMilliseconds(300), null, CancellationToken.None);
        _clock.Advance(TimeSpan.FromMilliseconds(300));
        await limited.WaitAsync(Settle);
        var byOther = waiter.WaitAsync(progressed: true, null, _ => other.Task, CancellationToken.None);
        other.SetResult();

        await byOther.WaitAsync(Settle);
    }

    private sealed class Appends : ILedgerAppends
    {
        public AppendSignal Signal { get; } = new();

        public Task Next => Signal.Next;
    }
}
