using System.Diagnostics;
using Payments.LoadGen.Http;
using Payments.LoadGen.Workload;

namespace Payments.LoadGen.Running;

/// <summary>
/// A fixed offered rate: request i is due at start + i / rate whether or not earlier ones were answered, and its
/// latency counts from that intended instant. A server that stalls therefore shows its stall in every request
/// that queued behind it (no coordinated omission), and a late pacer is charged to the latency, never hidden.
/// </summary>
public static class OpenLoop
{
    /// <summary>Requests allowed in flight at once; beyond it sends wait, and their wait counts as latency.</summary>
    private const int MaxInFlight = 4096;

    private static readonly TimeSpan DrainTimeout = TimeSpan.FromSeconds(35);

    public static async Task<Measurement> RunAsync(
        ApiClient api, OperationMix mix, RunRecorder recorder, double requestsPerSecond, MeasurementWindow window)
    {
        var watching = window.WatchAsync();
        await PaceAsync(api, mix, RateSchedule.Constant(requestsPerSecond), window,
            (operation, answer, intended) => recorder.Record(operation, answer, intended));
        return await watching;
    }

    /// <summary>
    /// Sends the mix at the schedule's rates until <paramref name="window"/> stops, hands every answer to
    /// <paramref name="answered"/> with the timestamp at which its request was due, then waits (up to the drain timeout)
    /// for the requests still in flight.
    /// </summary>
    public static async Task PaceAsync(
        ApiClient api, OperationMix mix, RateSchedule schedule, MeasurementWindow window, Action<Operation, Answer, long> answered)
    {
        // Not disposed: a request still in flight after the drain timeout releases its slot later.
        var slots = new SemaphoreSlim(MaxInFlight);
        var random = new Random(7);
        var start = Stopwatch.GetTimestamp();
        var sent = 0L;
        while (!window.Stopping.IsCancellationRequested)
        {
            var due = schedule.DueBy(Stopwatch.GetElapsedTime(start).TotalSeconds);
            for (; sent < due && !window.Stopping.IsCancellationRequested; sent++)
            {
                await slots.WaitAsync();
                var operation = mix.Next(random);
                var intended = start + (long)(schedule.DueSeconds(sent) * Stopwatch.Frequency);
                window.RequestSent();
                _ = SendAsync(api, operation, intended, answered, window, slots);
            }

            await Task.Delay(1);
        }

        var drained = Stopwatch.StartNew();
        while (window.InFlight > 0 && drained.Elapsed < DrainTimeout)
        {
            await Task.Delay(50);
        }
    }

    private static async Task SendAsync(
        ApiClient api, Operation operation, long intended, Action<Operation, Answer, long> answered, MeasurementWindow window,
        SemaphoreSlim slots)
    {
        try
        {
            answered(operation, await api.SendAsync(operation), intended);
        }
        finally
        {
            window.RequestAnswered();
            slots.Release();
        }
    }
}
