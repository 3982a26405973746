namespace Payments.LoadGen.Workload;

/// <summary>The last answered payments, from which the mix picks retries of the same Idempotency-Key.</summary>
public sealed class RecentPayments(int capacity = 4096)
{
    private readonly (Operation Payment, bool Approved)[] _ring = new (Operation, bool)[capacity];
    private long _written;

    public void Add(Operation payment, bool approved)
    {
        lock (_ring)
        {
            _ring[_written++ % _ring.Length] = (payment, approved);
        }
    }

    /// <summary>A recent payment as a retry, or null when none was answered yet.</summary>
    public Operation? PickRetry(Random random)
    {
        lock (_ring)
        {
            if (_written == 0)
            {
                return null;
            }

            var (payment, approved) = _ring[random.NextInt64(Math.Min(_written, _ring.Length))];
            return payment with { FirstApproved = approved };
        }
    }
}
