using System.Collections.Concurrent;
using System.Diagnostics;
using System.Runtime.CompilerServices;
using HdrHistogram;
using Payments.LoadGen.Checks;
using Payments.LoadGen.Http;
using Payments.LoadGen.Workload;

namespace Payments.LoadGen.Running;

/// <summary>
/// Everything the terminals observe: payment latency (microseconds, HdrHistogram), a count per answer label, and
/// everything answered as recorded (payments, authorizations and what follows them, deposits), which the invariant
/// checks look for in the ledger afterwards. Answers go on to the pools the mix draws retries and follow-ups from.
/// </summary>
public sealed class RunRecorder(RecentPayments recent, OpenHolds holds)
{
    /// <summary>Latencies above this (microseconds) are recorded as this.</summary>
    public const long HighestMicros = 120_000_000;

    private readonly Recorder _latency = HistogramFactory.With64BitBucketSize()
        .WithValuesFrom(1).WithValuesUpTo(HighestMicros).WithPrecisionOf(3)
        .WithThreadSafeWrites().WithThreadSafeReads().Create();

    private readonly ConcurrentDictionary<string, StrongBox<long>> _labels = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<RecordedEntry> _recorded = new();
    private long _requests;
    private long _newApprovals;
    private long _retryMismatches;

    /// <summary>Answers of recorded entries (first or replayed) of every run that used this recorder.</summary>
    public IReadOnlyCollection<RecordedEntry> Recorded => _recorded;

    /// <summary>Retries answered differently from their first answer, or decided a second time.</summary>
    public long RetryMismatches => Interlocked.Read(ref _retryMismatches);

    /// <summary>Records an answer; latency counts from <paramref name="startTimestamp"/> (the intended send time in open loop).</summary>
    public void Record(Operation operation, Answer answer, long startTimestamp)
    {
        if (answer.Recorded)
        {
            _recorded.Enqueue(new RecordedEntry(operation.AccountId, operation.Key, operation.LedgerKind));
        }

        switch (operation.Kind)
        {
            case OperationKind.Payment:
                var micros = Stopwatch.GetElapsedTime(startTimestamp).Ticks / TimeSpan.TicksPerMicrosecond;
                _latency.RecordValue(Math.Clamp(micros, 1, HighestMicros));
                Observe(operation, answer);
                break;
            case OperationKind.Authorize or OperationKind.Increment or OperationKind.Capture or OperationKind.Reverse:
                holds.Answered(operation, answer.Recorded, answer.IsError);
                break;
        }

        Interlocked.Increment(ref _requests);
        Interlocked.Increment(ref _labels.GetOrAdd(answer.Label, _ => new StrongBox<long>()).Value);
        if (answer.NewApproval)
        {
            Interlocked.Increment(ref _newApprovals);
        }
    }

    public Counts Count() => new(
        Interlocked.Read(ref _requests),
        Interlocked.Read(ref _newApprovals),
        _labels.ToDictionary(pair => pair.Key, pair => Interlocked.Read(ref pair.Value.Value), StringComparer.Ordinal));

    /// <summary>The latencies recorded since the previous call.</summary>
    public HistogramBase TakeInterval() => _latency.GetIntervalHistogram();

    private void Observe(Operation payment, Answer answer)
    {
        if (answer.IsError)
        {
            return;
        }

        if (!payment.IsRetry)
        {
            recent.Add(payment, answer.Recorded);
        }
        else if (!answer.Replayed || answer.Recorded != payment.FirstApproved)
        {
            Interlocked.Increment(ref _retryMismatches);
        }
    }
}

/// <summary>Running totals at one instant.</summary>
public sealed record Counts(long Requests, long NewApprovals, IReadOnlyDictionary<string, long> Labels)
{
    public Counts Minus(Counts earlier) => new(
        Requests - earlier.Requests,
        NewApprovals - earlier.NewApprovals,
        Labels.ToDictionary(pair => pair.Key, pair => pair.Value - earlier.Labels.GetValueOrDefault(pair.Key), StringComparer.Ordinal));
}
