using Microsoft.Extensions.Time.Testing;
using Payments.Events;

namespace Payments.Grains.Tests.Events;

/// <summary>How ledger commits become notifications: one send at a time, the raises during a send served by one more.</summary>
public sealed class CoalescedSignalTests
{
    private static readonly TimeSpan Settle = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan Spacing = TimeSpan.FromMilliseconds(10);

    private readonly FakeTimeProvider _clock = new();
    private readonly List<TaskCompletionSource> _sends = [];
    private readonly SemaphoreSlim _started = new(0);

    private Task SendAsync()
    {
        var send = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_sends)
        {
            _sends.Add(send);
        }

        _started.Release();
        return send.Task;
    }

    private int Sends
    {
        get
        {
            lock (_sends)
            {
                return _sends.Count;
            }
        }
    }

    [Fact]
    public async Task Raises_during_a_send_are_served_by_one_more_send_after_the_spacing()
    {
        var signal = new CoalescedSignal(SendAsync, Spacing, _clock);
        signal.Raise();
        Assert.True(await _started.WaitAsync(Settle));

        signal.Raise();
        signal.Raise();
        signal.Raise();
        _sends[0].SetResult();
        await Task.Delay(100);
        Assert.Equal(1, Sends);

        _clock.Advance(Spacing);
        Assert.True(await _started.WaitAsync(Settle));
        _sends[1].SetResult();
        _clock.Advance(Spacing);
        await Task.Delay(100);
        Assert.Equal(2, Sends);
    }

    [Fact]
    public async Task A_raise_after_the_sends_ended_sends_again()
    {
        var signal = new CoalescedSignal(SendAsync, TimeSpan.Zero, _clock);
        signal.Raise();
        Assert.True(await _started.WaitAsync(Settle));
        _sends[0].SetResult();
        await Task.Delay(100);

        signal.Raise();
        Assert.True(await _started.WaitAsync(Settle));
        _sends[1].SetResult();
        Assert.Equal(2, Sends);
    }

    [Fact]
    public async Task Every_burst_of_concurrent_raises_is_followed_by_a_send()
    {
        var sent = 0;
        var signal = new CoalescedSignal(() => { Interlocked.Increment(ref sent); return Task.CompletedTask; }, TimeSpan.Zero, _clock);
        for (var round = 0; round < 200; round++)
        {
            var before = Volatile.Read(ref sent);
            await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(signal.Raise)));
            var deadline = DateTime.UtcNow + Settle;
            while (Volatile.Read(ref sent) == before && DateTime.UtcNow < deadline)
            {
                await Task.Delay(1);
            }

            Assert.True(Volatile.Read(ref sent) > before, $"Round {round}: the raises were not followed by a send.");
        }
    }
}
