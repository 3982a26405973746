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
        // Not disposed: a request still in flight after the drain timeout releases its slot later.
        var slots = new SemaphoreSlim(MaxInFlight);
        var random = new Random(7);
        var watching = window.WatchAsync();
        var start = Stopwatch.GetTimestamp();
        var ticksPerRequest = Stopwatch.Frequency / requestsPerSecond;
        var sent = 0L;
        while (!window.Stopping.IsCancellationRequested)
        {
            var due = (long)((Stopwatch.GetTimestamp() - start) / ticksPerRequest);
            for (; sent < due && !window.Stopping.IsCancellationRequested; sent++)
            {
                await slots.WaitAsync();
                var operation = mix.Next(random);
                var intended = start + (long)(sent * ticksPerRequest);
                window.RequestSent();
                _ = SendAsync(api, operation, intended, recorder, window, slots);
            }

            await Task.Delay(1);
        }

        var measurement = await watching;
        var drained = Stopwatch.StartNew();
        while (window.InFlight > 0 && drained.Elapsed < DrainTimeout)
        {
            await Task.Delay(50);
        }

        return measurement;
    }

    private static async Task SendAsync(
        ApiClient api, Operation operation, long intended, RunRecorder recorder, MeasurementWindow window, SemaphoreSlim slots)
    {
        try
        {
            var answer = await api.SendAsync(operation);
            recorder.Record(operation, answer, intended);
        }
        finally
        {
            window.RequestAnswered();
            slots.Release();
        }
    }
}
