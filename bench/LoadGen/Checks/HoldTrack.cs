namespace Payments.LoadGen.Checks;

/// <summary>
/// One authorization as the checks rebuild it from its rows, independently of the system's code: what it holds by the
/// business day each amount was approved in (captures post the oldest first, releases give back the newest first, as
/// api.md says), what was captured against its cap, and how often its hold went from something to nothing.
/// </summary>
internal sealed class HoldTrack(long authorized, int overCapturePercent)
{
    private readonly List<(DateOnly Day, long Amount)> _tranches = [];
    private long _authorized = authorized;
    private long _capturedWithinCap;

    /// <summary>What the rows so far leave held.</summary>
    public long Held => _tranches.Sum(t => t.Amount);

    public DateTimeOffset? ExpiresAt { get; set; }

    /// <summary>Rows that took the hold from something to nothing: exactly one once it is closed, reversed or expired.</summary>
    public int Closings { get; private set; }

    public bool FinalCaptured { get; private set; }

    /// <summary>A row took more off the hold than it held (a release twice, a capture of released money).</summary>
    public bool OverReleased { get; private set; }

    /// <summary>What the captures the system accepted total beyond floor((authorized + increments) × (100 + tolerance) / 100).</summary>
    public bool OverCaptured => _capturedWithinCap > checked(_authorized * (100 + overCapturePercent)) / 100;

    public void Hold(DateOnly day, long amount) => _tranches.Add((day, amount));

    public void Increase(DateOnly day, long amount)
    {
        _authorized = checked(_authorized + amount);
        Hold(day, amount);
    }

    /// <summary>A capture: <paramref name="fromHold"/> posts held money, the oldest first; a final one ends the hold.</summary>
    public void Capture(long amount, long fromHold, bool forced, bool final)
    {
        if (!forced)
        {
            _capturedWithinCap = checked(_capturedWithinCap + amount);
        }

        FinalCaptured |= final;
        Take(fromHold, oldestFirst: true, (_, _) => { });
    }

    /// <summary>Gives <paramref name="amount"/> back, the newest approval first; <paramref name="giveBack"/> gets each part's day.</summary>
    public void Release(long amount, Action<DateOnly, long> giveBack) => Take(amount, oldestFirst: false, giveBack);

    private void Take(long amount, bool oldestFirst, Action<DateOnly, long> taken)
    {
        var before = Held;
        if (amount > before)
        {
            OverReleased = true;
        }

        while (amount > 0 && _tranches.Count > 0)
        {
            var index = oldestFirst ? 0 : _tranches.Count - 1;
            var (day, held) = _tranches[index];
            var part = Math.Min(amount, held);
            taken(day, part);
            amount -= part;
            if (part == held)
            {
                _tranches.RemoveAt(index);
            }
            else
            {
                _tranches[index] = (day, held - part);
            }
        }

        if (before > 0 && Held == 0)
        {
            Closings++;
        }
    }
}
