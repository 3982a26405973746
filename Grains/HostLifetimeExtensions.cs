using Microsoft.Extensions.Hosting;

namespace Payments;

/// <summary>Waiting for the host to have started: on a silo, grain calls work from then on.</summary>
public static class HostLifetimeExtensions
{
    public static async Task WhenStartedAsync(this IHostApplicationLifetime lifetime, CancellationToken cancellationToken)
    {
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var registration = lifetime.ApplicationStarted.Register(() => started.TrySetResult());
        await started.Task.WaitAsync(cancellationToken);
    }
}
