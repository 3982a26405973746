using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Payments.Regions;

namespace Payments.Settlement;

/// <summary>
/// From silo start on, makes sure the silo's own region has its settlement reminder: at once, then every
/// <see cref="SettlementOptions.ReminderCheck"/> (a reminder lost with a Redis primary is registered again).
/// </summary>
public sealed class SettlementScheduling(
    IGrainFactory grains,
    SiloRegion silo,
    IOptions<SettlementOptions> options,
    IHostApplicationLifetime lifetime,
    ILogger<SettlementScheduling> logger) : BackgroundService
{
    private static readonly TimeSpan RetryDelay = TimeSpan.FromSeconds(5);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await lifetime.WhenStartedAsync(stoppingToken);
        using var running = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken, lifetime.ApplicationStopping);
        while (!running.IsCancellationRequested)
        {
            try
            {
                await grains.GetGrain<ISettlementGrain>(silo.Name).ScheduleAsync().WaitAsync(running.Token);
                await Task.Delay(options.Value.ReminderCheck, running.Token);
            }
            catch (OperationCanceledException) when (running.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                logger.LogWarning(ex, "Settlement of {Region} not scheduled yet; retrying", silo.Name);
                await Task.Delay(RetryDelay, running.Token).ContinueWith(_ => { }, TaskScheduler.Default);
            }
        }
    }
}
