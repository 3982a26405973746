namespace Payments.LoadGen.Running;

/// <summary>
/// Offered rates one after the other: <c>(rate, seconds)</c> steps, the last one lasting for as long as the load runs.
/// Request i is due at <see cref="DueSeconds"/>(i), whether or not earlier ones were answered.
/// </summary>
public sealed class RateSchedule
{
    private readonly (double Rate, double Seconds)[] _steps;

    public RateSchedule(params (double RequestsPerSecond, double Seconds)[] steps)
    {
        if (steps.Length == 0 || steps.Any(step => step.RequestsPerSecond <= 0 || step.Seconds <= 0))
        {
            throw new ArgumentException("A schedule needs at least one step, each with a positive rate and duration.");
        }

        _steps = steps;
    }

    public static RateSchedule Constant(double requestsPerSecond) => new((requestsPerSecond, double.PositiveInfinity));

    /// <summary>How many requests are due <paramref name="seconds"/> after the start.</summary>
    public long DueBy(double seconds)
    {
        var due = 0.0;
        foreach (var (rate, length) in _steps)
        {
            var within = Math.Min(seconds, length);
            due += within * rate;
            seconds -= within;
            if (seconds <= 0)
            {
                break;
            }
        }

        return (long)due;
    }

    /// <summary>The instant, in seconds after the start, at which request <paramref name="index"/> is due.</summary>
    public double DueSeconds(long index)
    {
        var start = 0.0;
        double remaining = index;
        foreach (var (rate, length) in _steps)
        {
            var inStep = length * rate;
            if (remaining < inStep)
            {
                return start + remaining / rate;
            }

            remaining -= inStep;
            start += length;
        }

        throw new InvalidOperationException("The last step of a schedule lasts for ever.");
    }
}
