namespace Payments.Accounts;

/// <summary>
/// Runs steps one after the other, in the order they were asked for, inside a reentrant grain: the grain keeps
/// taking requests while a step awaits the database, but two steps never interleave.
/// </summary>
internal sealed class AsyncLane
{
    private Task _tail = Task.CompletedTask;

    public async Task<T> RunAsync<T>(Func<Task<T>> step)
    {
        var previous = _tail;
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _tail = done.Task;
        try
        {
            // Never faults: each step's own outcome goes to its caller, the lane only carries the turn.
            await previous;
            return await step();
        }
        finally
        {
            done.SetResult();
        }
    }

    public async Task RunAsync(Func<Task> step) => await RunAsync(async () =>
    {
        await step();
        return true;
    });
}
