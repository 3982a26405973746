using Payments.Accounts;

namespace Payments.Grains.Tests.Accounts;

/// <summary>The lane a reentrant account grain runs its ledger steps in: one at a time, in the order asked, whatever each step's fate.</summary>
public sealed class AsyncLaneTests
{
    [Fact]
    public async Task Steps_run_one_at_a_time_in_the_order_they_were_asked_for()
    {
        var lane = new AsyncLane();
        var gates = Enumerable.Range(0, 5).Select(_ => new TaskCompletionSource()).ToList();
        var log = new List<string>();
        var running = 0;

        var steps = gates.Select((gate, i) => lane.RunAsync(async () =>
        {
            Assert.Equal(1, Interlocked.Increment(ref running));
            log.Add($"start {i}");
            await gate.Task;
            log.Add($"end {i}");
            Interlocked.Decrement(ref running);
            return i;
        })).ToList();
        // Released in reverse: a later step must still wait for the ones before it.
        foreach (var gate in Enumerable.Reverse(gates))
        {
            gate.SetResult();
        }

        var results = await Task.WhenAll(steps);
        Assert.Equal([0, 1, 2, 3, 4], results);
        Assert.Equal(Enumerable.Range(0, 5).SelectMany(i => new[] { $"start {i}", $"end {i}" }), log);
    }

    [Fact]
    public async Task A_failing_step_fails_its_caller_only_and_the_next_step_still_runs()
    {
        var lane = new AsyncLane();

        var failing = lane.RunAsync(() => Task.FromException(new InvalidOperationException("ledger down")));
        var next = lane.RunAsync(() => Task.FromResult("ran"));

        await Assert.ThrowsAsync<InvalidOperationException>(() => failing);
        Assert.Equal("ran", await next);
    }
}
