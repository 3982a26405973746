using System.Diagnostics.Metrics;

namespace Payments.Diagnostics;

/// <summary>
/// Bucket boundaries for the histograms of this code. Without advice the exporter's defaults (0 to 10 000) suit
/// milliseconds, and every latency in seconds would land in the first bucket.
/// </summary>
public static class HistogramAdvice
{
    /// <summary>0.5 ms to 10 s: a decision is about a millisecond of work plus one ledger commit.</summary>
    public static readonly InstrumentAdvice<double> Seconds = new()
    {
        HistogramBucketBoundaries = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    };

    /// <summary>Powers of two up to the ledger writer's largest batch.</summary>
    public static readonly InstrumentAdvice<int> Rows = new()
    {
        HistogramBucketBoundaries = [1, 2, 4, 8, 16, 32, 64, 128, 256, 512],
    };
}
