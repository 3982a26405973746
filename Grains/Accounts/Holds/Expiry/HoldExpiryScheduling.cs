using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Payments.Regions;

namespace Payments.Accounts.Holds.Expiry;

/// <summary>From silo start on, makes sure the silo's own region has its expiry sweep running: at once, then every <see cref="HoldExpiryOptions.StartCheck"/>.</summary>
public sealed class HoldExpiryScheduling(
    IGrainFactory grains,
    SiloRegion silo,
    IOptions<HoldExpiryOptions> options,
    IHostApplicationLifetime lifetime,
    ILogger<HoldExpiryScheduling> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.Enabled)
        {
            return;
        }

        await lifetime.WhenStartedAsync(stoppingToken);
        using var running = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken, lifetime.ApplicationStopping);
        while (!running.IsCancellationRequested)
        {
            try
            {
                await grains.GetGrain<IHoldExpiryGrain>(silo.Name).StartAsync().WaitAsync(running.Token);
            }
            catch (OperationCanceledException) when (running.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                logger.LogWarning(ex, "Expiry sweep of {Region} not started yet; retrying", silo.Name);
            }

            await Task.Delay(options.Value.StartCheck, running.Token).ContinueWith(_ => { }, TaskScheduler.Default);
        }
    }
}
