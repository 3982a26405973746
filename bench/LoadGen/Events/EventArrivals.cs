using System.Collections.Concurrent;
using HdrHistogram;
using Payments.LoadGen.Http;

namespace Payments.LoadGen.Events;

/// <summary>
/// What one consumer (the feed, the webhooks) received: the first arrival of each event id. Redeliveries are counted,
/// not timed: the lag of an event is that of its first arrival.
/// </summary>
public sealed class EventArrivals(string consumer)
{
    private readonly ConcurrentDictionary<string, ArrivedEvent> _first = new(StringComparer.Ordinal);
    private long _redeliveries;

    public string Consumer { get; } = consumer;

    public long Redeliveries => Interlocked.Read(ref _redeliveries);

    public void Arrived(ArrivedEvent arrived)
    {
        if (!_first.TryAdd(arrived.Id, arrived))
        {
            Interlocked.Increment(ref _redeliveries);
        }
    }

    public bool Has(string id) => _first.ContainsKey(id);

    /// <summary>The figures of the events recorded in [from, to) whose ids are <paramref name="expected"/>.</summary>
    public ConsumerFigures Figures(IReadOnlyCollection<string> expected, DateTimeOffset from, DateTimeOffset to)
    {
        var lag = HistogramFactory.With64BitBucketSize().WithValuesFrom(1).WithValuesUpTo(3_600_000_000).WithPrecisionOf(3).Create();
        var missing = 0;
        foreach (var id in expected)
        {
            if (_first.TryGetValue(id, out var arrived))
            {
                lag.RecordValue(Math.Clamp(arrived.Lag.Ticks / TimeSpan.TicksPerMicrosecond, 1, 3_600_000_000));
            }
            else
            {
                missing++;
            }
        }

        var seconds = (to - from).TotalSeconds;
        var arrivedInWindow = _first.Values.Count(a => a.ArrivedAt >= from && a.ArrivedAt < to);
        return new ConsumerFigures(Consumer, expected.Count - missing, missing, arrivedInWindow / seconds, lag);
    }
}

/// <param name="Received">Events of the window that arrived (by the end of the final drain).</param>
/// <param name="Missing">Events of the window that had not arrived by then.</param>
/// <param name="PerSecond">Events (of any time) that arrived while the window was open, per second.</param>
/// <param name="Lag">From each event's <c>time</c> to its first arrival, microseconds.</param>
public sealed record ConsumerFigures(string Consumer, long Received, long Missing, double PerSecond, HistogramBase Lag)
{
    public double LagMs(double percentile) => Lag.TotalCount == 0 ? 0 : Lag.GetValueAtPercentile(percentile) / 1000.0;

    public double MaxLagMs => Lag.TotalCount == 0 ? 0 : Lag.GetMaxValue() / 1000.0;
}
