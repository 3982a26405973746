using System.Diagnostics.Metrics;
using Payments.Diagnostics;

namespace Payments.Regions;

/// <summary>
/// The off-peak settlement of a region, on the "Payments.Settlement" meter: how long totalling a closed period
/// took and how many ledger rows it covered. The settlement job records one measurement per run.
/// </summary>
public sealed class SettlementMetrics : IDisposable
{
    public const string MeterName = "Payments.Settlement";
    private readonly Meter _meter = new(MeterName);
    private readonly Histogram<double> _seconds;
    private readonly Counter<long> _rows;

    public SettlementMetrics()
    {
        _seconds = _meter.CreateHistogram(
            "payments.settlement.duration", "s", "Duration of one region's settlement run",
            tags: null, HistogramAdvice.Seconds);
        _rows = _meter.CreateCounter<long>("payments.settlement.rows", "{row}", "Ledger rows totalled by settlement runs");
    }

    public void RecordSettlement(string region, TimeSpan elapsed, long rows)
    {
        var regionTag = new KeyValuePair<string, object?>("region", region);
        _seconds.Record(elapsed.TotalSeconds, regionTag);
        _rows.Add(rows, regionTag);
    }

    public void Dispose() => _meter.Dispose();
}
