using System.Diagnostics.Metrics;
using Payments.Diagnostics;

namespace Payments.Ledger;

/// <summary>Group-commit figures: batch sizes and commit latency, on the "Payments.Ledger" meter.</summary>
public sealed class LedgerMetrics : IDisposable
{
    public const string MeterName = "Payments.Ledger";
    private readonly Meter _meter = new(MeterName);
    private readonly Histogram<int> _batchSize;
    private readonly Histogram<double> _commitSeconds;
    private readonly Counter<long> _failedRows;
    private long _batches;
    private long _rows;

    public LedgerMetrics()
    {
        _batchSize = _meter.CreateHistogram("payments.ledger.batch.size", "{row}", "Rows per ledger commit", tags: null, HistogramAdvice.Rows);
        _commitSeconds = _meter.CreateHistogram(
            "payments.ledger.commit.duration", "s", "Latency of one ledger commit", tags: null, HistogramAdvice.Seconds);
        _failedRows = _meter.CreateCounter<long>("payments.ledger.failed.rows", "{row}", "Rows whose commit failed");
    }

    /// <summary>Batches committed since start.</summary>
    public long Batches => Interlocked.Read(ref _batches);

    /// <summary>Rows committed since start.</summary>
    public long Rows => Interlocked.Read(ref _rows);

    public void RecordCommit(int rows, TimeSpan elapsed)
    {
        Interlocked.Increment(ref _batches);
        Interlocked.Add(ref _rows, rows);
        _batchSize.Record(rows);
        _commitSeconds.Record(elapsed.TotalSeconds);
        // No failed row in this commit: the failure count exists (and reads 0) before the first failure.
        _failedRows.Add(0);
    }

    public void RecordFailure(int rows) => _failedRows.Add(rows);

    public void Dispose() => _meter.Dispose();
}
