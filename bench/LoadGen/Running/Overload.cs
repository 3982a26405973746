using System.Collections.Concurrent;
using System.Diagnostics;
using System.Runtime.CompilerServices;
using HdrHistogram;
using Payments.LoadGen.Http;
using Payments.LoadGen.Workload;

namespace Payments.LoadGen.Running;

/// <summary>
/// Overload and recovery: the mix offered at <c>overloadRate</c> (twice what the system served in the closed loop) for
/// a while, then at the normal rate again. Every request is charged from the instant it was due, as in the open loop.
/// What counts is whether each one was answered within the API's deadline, whether the excess was shed as the
/// contract says (503 <c>unavailable</c> with Retry-After), and how soon after the overload the latency is normal.
/// </summary>
public static class Overload
{
    public static async Task<OverloadMeasurement> RunAsync(
        ApiClient api, OperationMix mix, RunRecorder recorder, OverloadPlan plan, MeasurementWindow window)
    {
        var schedule = new RateSchedule((plan.OverloadRate, plan.OverloadFor.TotalSeconds), (plan.NormalRate, plan.After.TotalSeconds));
        var during = new PhaseTally();
        var after = new PhaseTally();
        var afterSeconds = Enumerable.Range(0, (int)Math.Ceiling(plan.After.TotalSeconds)).Select(_ => PaymentHistogram()).ToArray();
        var watching = window.WatchAsync();
        var start = Stopwatch.GetTimestamp();
        await OpenLoop.PaceAsync(api, mix, schedule, window, (operation, answer, intended) =>
        {
            recorder.Record(operation, answer, intended);
            var latency = Stopwatch.GetElapsedTime(intended);
            var dueAt = Stopwatch.GetElapsedTime(start, intended);
            var overloaded = dueAt < plan.OverloadFor;
            (overloaded ? during : after).Record(operation, answer, latency, plan.Deadline);
            var second = (int)(dueAt - plan.OverloadFor).TotalSeconds;
            if (!overloaded && second < afterSeconds.Length && operation.Kind == OperationKind.Payment)
            {
                afterSeconds[second].RecordValue(Micros(latency));
            }
        });
        var measured = await watching;
        return new OverloadMeasurement(plan,
            during.Result("overload", plan.OverloadRate, plan.OverloadFor),
            after.Result("after", plan.NormalRate, plan.After),
            afterSeconds, measured.CoresUsed);
    }

    private static HistogramBase PaymentHistogram() => HistogramFactory.With64BitBucketSize().WithValuesFrom(1)
        .WithValuesUpTo(RunRecorder.HighestMicros).WithPrecisionOf(3).WithThreadSafeWrites().Create();

    private static long Micros(TimeSpan latency) => Math.Clamp(latency.Ticks / TimeSpan.TicksPerMicrosecond, 1, RunRecorder.HighestMicros);

    /// <summary>One phase's answers, counted as they come from many threads.</summary>
    private sealed class PhaseTally
    {
        private readonly HistogramBase _payments = PaymentHistogram();
        private readonly ConcurrentDictionary<string, StrongBox<long>> _labels = new(StringComparer.Ordinal);
        private long _requests;
        private long _approved;
        private long _overDeadline;
        private long _maxMicros;

        public void Record(Operation operation, Answer answer, TimeSpan latency, TimeSpan deadline)
        {
            var micros = Micros(latency);
            Interlocked.Increment(ref _requests);
            Interlocked.Increment(ref _labels.GetOrAdd(answer.Label, _ => new StrongBox<long>()).Value);
            if (answer.NewApproval)
            {
                Interlocked.Increment(ref _approved);
            }

            if (latency > deadline)
            {
                Interlocked.Increment(ref _overDeadline);
            }

            for (var max = Interlocked.Read(ref _maxMicros); micros > max; max = Interlocked.Read(ref _maxMicros))
            {
                Interlocked.CompareExchange(ref _maxMicros, micros, max);
            }

            if (operation.Kind == OperationKind.Payment)
            {
                _payments.RecordValue(micros);
            }
        }

        public OverloadPhase Result(string name, double offered, TimeSpan duration)
        {
            var labels = _labels.ToDictionary(pair => pair.Key, pair => pair.Value.Value, StringComparer.Ordinal);
            var errors = labels.Where(pair => pair.Key.StartsWith("error", StringComparison.Ordinal)).ToList();
            return new OverloadPhase(name, offered, duration, _requests, _approved,
                Shed: labels.GetValueOrDefault(Answer.Shed),
                ShedWithoutRetryAfter: errors.Where(pair => pair.Key.EndsWith(Answer.NoRetryAfter, StringComparison.Ordinal)).Sum(pair => pair.Value),
                OtherErrors: errors.Where(pair => pair.Key != Answer.Shed && !pair.Key.EndsWith(Answer.NoRetryAfter, StringComparison.Ordinal)).Sum(pair => pair.Value),
                _overDeadline, _maxMicros / 1000.0, _payments, labels);
        }
    }
}

/// <summary>The overload scenario's knobs.</summary>
/// <param name="OverloadRate">Requests per second offered during the overload.</param>
/// <param name="NormalRate">Requests per second offered after it.</param>
/// <param name="Deadline">Within this every request must be answered (the API's deadline for a grain call).</param>
public sealed record OverloadPlan(double SaturationRate, double OverloadRate, double NormalRate, TimeSpan OverloadFor, TimeSpan After, TimeSpan Deadline);

/// <summary>What one phase of the overload scenario saw; latency counts from the instant each request was due.</summary>
/// <param name="Shed">Answers 503 <c>unavailable</c> with Retry-After: the excess turned away as the contract says.</param>
/// <param name="OverDeadline">Answers (of any request) that came later than the deadline after they were due.</param>
public sealed record OverloadPhase(
    string Name, double OfferedPerSecond, TimeSpan Duration, long Requests, long Approved, long Shed, long ShedWithoutRetryAfter,
    long OtherErrors, long OverDeadline, double MaxLatencyMs, HistogramBase PaymentLatency, IReadOnlyDictionary<string, long> Labels)
{
    public double LatencyMs(double percentile) =>
        PaymentLatency.TotalCount == 0 ? 0 : PaymentLatency.GetValueAtPercentile(percentile) / 1000.0;
}

/// <summary>The overload scenario: the phase under overload, the phase after it, and the payment latency of each second after.</summary>
public sealed record OverloadMeasurement(
    OverloadPlan Plan, OverloadPhase During, OverloadPhase After, IReadOnlyList<HistogramBase> AfterBySecond,
    IReadOnlyDictionary<string, double> CoresUsed)
{
    /// <summary>
    /// Seconds after the overload until the latency is normal again: the first second from which the p99 of all the
    /// payments due from then to the end is at most <paramref name="normalP99Ms"/> × <paramref name="tolerance"/>;
    /// null when it never is.
    /// </summary>
    public int? RecoveredAfterSeconds(double normalP99Ms, double tolerance)
    {
        for (var from = 0; from < AfterBySecond.Count; from++)
        {
            var rest = AfterBySecond[from].Copy();
            for (var second = from + 1; second < AfterBySecond.Count; second++)
            {
                rest.Add(AfterBySecond[second]);
            }

            if (rest.TotalCount > 0 && rest.GetValueAtPercentile(99) / 1000.0 <= normalP99Ms * tolerance)
            {
                return from;
            }
        }

        return null;
    }

    public double P99Ms(int second) =>
        AfterBySecond[second].TotalCount == 0 ? 0 : AfterBySecond[second].GetValueAtPercentile(99) / 1000.0;
}
