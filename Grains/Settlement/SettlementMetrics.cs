using System.Diagnostics.Metrics;
using Payments.Contracts;
using Payments.Diagnostics;

namespace Payments.Settlement;

/// <summary>
/// The off-peak settlement of each region, on the "Payments.Settlement" meter: how long settling one closed day
/// took, how many accounts it totalled, and runs that failed. <see cref="SettlementService"/> records one
/// measurement per day it settles.
/// </summary>
public sealed class SettlementMetrics : IDisposable
{
    public const string MeterName = "Payments.Settlement";
    private readonly Meter _meter = new(MeterName);
    private readonly Histogram<double> _seconds;
    private readonly Counter<long> _accounts;
    private readonly Counter<long> _failures;

    public SettlementMetrics()
    {
        _seconds = _meter.CreateHistogram(
            "payments.settlement.duration", "s", "Duration of settling one closed business day of a region",
            tags: null, HistogramAdvice.Seconds);
        _accounts = _meter.CreateCounter<long>("payments.settlement.accounts", "{account}", "Accounts totalled by settlement runs");
        _failures = _meter.CreateCounter<long>("payments.settlement.failures", "{run}", "Settlement runs that failed and will be retried");
    }

    public void RecordRun(SettlementRun run, TimeSpan elapsed)
    {
        var region = new KeyValuePair<string, object?>("region", run.Region);
        _seconds.Record(elapsed.TotalSeconds, region);
        _accounts.Add(run.Accounts, region);
        // This run did not fail: the region's failure count exists (and reads 0) before its first failure.
        _failures.Add(0, region);
    }

    public void RecordFailure(string region) => _failures.Add(1, new KeyValuePair<string, object?>("region", region));

    public void Dispose() => _meter.Dispose();
}
