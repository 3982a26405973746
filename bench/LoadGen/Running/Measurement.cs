using HdrHistogram;

namespace Payments.LoadGen.Running;

/// <summary>What one scenario measured after its warm-up: totals over <see cref="Elapsed"/> and payment latency.</summary>
/// <param name="CoresUsed">Cores each process group used during the window (see <see cref="Machine.CpuMeter"/>).</param>
public sealed record Measurement(
    TimeSpan Elapsed, Counts Counts, HistogramBase PaymentLatency, IReadOnlyDictionary<string, double> CoresUsed)
{
    public double RequestsPerSecond => Counts.Requests / Elapsed.TotalSeconds;

    public double ApprovalsPerSecond => Counts.NewApprovals / Elapsed.TotalSeconds;

    public long Errors => Counts.Labels.Where(pair => pair.Key.StartsWith("error", StringComparison.Ordinal)).Sum(pair => pair.Value);

    public double LatencyMs(double percentile) =>
        PaymentLatency.TotalCount == 0 ? 0 : PaymentLatency.GetValueAtPercentile(percentile) / 1000.0;

    public double MaxLatencyMs => PaymentLatency.TotalCount == 0 ? 0 : PaymentLatency.GetMaxValue() / 1000.0;
}
