using System.Diagnostics;
using System.Globalization;
using HdrHistogram;
using Payments.LoadGen.Machine;

namespace Payments.LoadGen.Running;

/// <summary>
/// The clock of a scenario: a warm-up that is not counted, then the measured window, with a live progress line every
/// second. Counts are taken as differences at the two edges, latencies as the sum of the per-second intervals in
/// between, so both cover the same span.
/// </summary>
public sealed class MeasurementWindow(string name, RunRecorder recorder, CpuMeter cpu, TimeSpan warmUp, TimeSpan duration)
    : IDisposable
{
    private static readonly TimeSpan Tick = TimeSpan.FromSeconds(1);
    private readonly CancellationTokenSource _stopping = new();
    private long _inFlight;

    /// <summary>Cancelled when the measured window ends: terminals finish their request in flight and stop.</summary>
    public CancellationToken Stopping => _stopping.Token;

    /// <summary>Requests sent but not answered yet.</summary>
    public long InFlight => Interlocked.Read(ref _inFlight);

    public void RequestSent() => Interlocked.Increment(ref _inFlight);

    /// <summary>When the measured part began and ended (UTC), once it has.</summary>
    public (DateTimeOffset From, DateTimeOffset To) Measured { get; private set; }

    public void RequestAnswered() => Interlocked.Decrement(ref _inFlight);

    public async Task<Measurement> WatchAsync()
    {
        var total = HistogramFactory.With64BitBucketSize().WithValuesFrom(1).WithValuesUpTo(RunRecorder.HighestMicros)
            .WithPrecisionOf(3).Create();
        var clock = Stopwatch.StartNew();
        var interactive = !Console.IsOutputRedirected;
        var previous = recorder.Count();
        Counts? atStart = null;
        CpuSnapshot? cpuAtStart = null;
        var measuredFrom = TimeSpan.Zero;
        using var timer = new PeriodicTimer(Tick);
        for (var tick = 1; await timer.WaitForNextTickAsync(); tick++)
        {
            var interval = recorder.TakeInterval();
            var now = recorder.Count();
            if (atStart is not null)
            {
                total.Add(interval);
            }

            if (interactive || tick % 5 == 0)
            {
                Progress(clock.Elapsed, atStart is null, now.Minus(previous), interval, interactive);
            }

            previous = now;
            if (atStart is null && clock.Elapsed >= warmUp)
            {
                atStart = now;
                cpuAtStart = cpu.Take();
                measuredFrom = clock.Elapsed;
                Measured = (DateTimeOffset.UtcNow, DateTimeOffset.UtcNow);
            }
            else if (atStart is not null && clock.Elapsed >= warmUp + duration)
            {
                var cores = CpuMeter.CoresUsed(cpuAtStart!, cpu.Take());
                Measured = (Measured.From, DateTimeOffset.UtcNow);
                await _stopping.CancelAsync();
                if (interactive)
                {
                    Console.WriteLine();
                }

                return new Measurement(clock.Elapsed - measuredFrom, now.Minus(atStart), total, cores);
            }
        }

        throw new InvalidOperationException("The progress timer stopped.");
    }

    public void Dispose() => _stopping.Dispose();

    private void Progress(TimeSpan elapsed, bool warming, Counts lastSecond, HistogramBase interval, bool interactive)
    {
        var p50 = interval.TotalCount == 0 ? 0 : interval.GetValueAtPercentile(50) / 1000.0;
        var p99 = interval.TotalCount == 0 ? 0 : interval.GetValueAtPercentile(99) / 1000.0;
        var errors = lastSecond.Labels.Where(pair => pair.Key.StartsWith("error", StringComparison.Ordinal)).Sum(pair => pair.Value);
        var line = string.Create(CultureInfo.InvariantCulture,
            $"[{name}] {elapsed.TotalSeconds,5:0}s {(warming ? "warm-up " : "measured")} req/s {lastSecond.Requests,7:N0}  approved/s {lastSecond.NewApprovals,7:N0}  " +
            $"p50 {p50,6:0.0} ms  p99 {p99,7:0.0} ms  errors {errors,5}  in flight {InFlight,5}");
        Console.Write(interactive ? "\r" + line : line + Environment.NewLine);
    }
}
