namespace Payments.Events;

/// <summary>
/// Runs <c>send</c> after <see cref="Raise"/>, one send at a time and at most once per <c>spacing</c>: the raises that
/// come while a send runs (or while it waits out the spacing) are served by one more send after it, so the last raise
/// is always followed by a send that started after it. <see cref="Raise"/> never waits.
/// </summary>
public sealed class CoalescedSignal(Func<Task> send, TimeSpan spacing, TimeProvider time)
{
    private int _pending;
    private int _sending;

    public void Raise()
    {
        Volatile.Write(ref _pending, 1);
        if (Interlocked.CompareExchange(ref _sending, 1, 0) == 0)
        {
            _ = Task.Run(SendAsync);
        }
    }

    private async Task SendAsync()
    {
        while (true)
        {
            while (Interlocked.Exchange(ref _pending, 0) == 1)
            {
                await send();
                if (spacing > TimeSpan.Zero)
                {
                    await Task.Delay(spacing, time);
                }
            }

            Volatile.Write(ref _sending, 0);
            // A raise between the last look and the line above saw a send running and started none: it is ours.
            if (Volatile.Read(ref _pending) == 0 || Interlocked.CompareExchange(ref _sending, 1, 0) != 0)
            {
                return;
            }
        }
    }
}
