using System.Diagnostics;
using Payments.LoadGen.Http;
using Payments.LoadGen.Workload;

namespace Payments.LoadGen.Running;

/// <summary>Terminals that each send their next request as soon as the previous one is answered.</summary>
public static class ClosedLoop
{
    public static async Task<Measurement> RunAsync(
        ApiClient api, OperationMix mix, RunRecorder recorder, int terminals, MeasurementWindow window)
    {
        var watching = window.WatchAsync();
        var running = Enumerable.Range(0, terminals).Select(terminal => Task.Run(async () =>
        {
            var random = new Random(terminal);
            while (!window.Stopping.IsCancellationRequested)
            {
                var operation = mix.Next(random);
                var started = Stopwatch.GetTimestamp();
                window.RequestSent();
                var answer = await api.SendAsync(operation);
                window.RequestAnswered();
                recorder.Record(operation, answer, started);
            }
        })).ToList();
        var measurement = await watching;
        await Task.WhenAll(running);
        return measurement;
    }
}
