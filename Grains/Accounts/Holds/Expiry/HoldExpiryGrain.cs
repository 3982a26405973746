using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Payments.Contracts;
using Payments.Regions;

namespace Payments.Accounts.Holds.Expiry;

/// <summary>
/// A region's expiry sweep (key = region id), in the region's own cluster: a timer that keeps the activation alive runs
/// a <see cref="HoldExpirySweep"/> pass every <see cref="HoldExpiryOptions.Period"/>. Every silo of the region calls
/// <see cref="StartAsync"/> at start and then regularly, so a sweep lost with its silo starts again on another.
/// </summary>
public sealed class HoldExpiryGrain(
    HoldExpirySweep sweep,
    ConfiguredRegionRules regions,
    IOptions<HoldExpiryOptions> options,
    ILogger<HoldExpiryGrain> logger) : Grain, IHoldExpiryGrain
{
    private IGrainTimer? _timer;

    private string Region => this.GetPrimaryKeyString();

    public Task StartAsync()
    {
        if (_timer is null && options.Value.Enabled)
        {
            var period = options.Value.Period;
            _timer = this.RegisterGrainTimer(PassAsync, new GrainTimerCreationOptions(period, period) { KeepAlive = true });
            logger.LogInformation("Expiry sweep of {Region} started: a pass every {Period}", Region, period);
        }

        return Task.CompletedTask;
    }

    public Task<HoldSweep> SweepAsync() => sweep.SweepAsync(Region, regions.Regions, CancellationToken.None);

    private async Task PassAsync(CancellationToken cancellationToken)
    {
        try
        {
            var pass = await sweep.SweepAsync(Region, regions.Regions, cancellationToken);
            if (pass.Due > 0)
            {
                logger.LogDebug("Expiry sweep of {Region}: {Due} holds due on {Accounts} accounts, {Failed} failed, more: {More}",
                    Region, pass.Due, pass.Accounts, pass.Failed, pass.More);
            }
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            // The store is unreachable (a failover): the next pass starts from the saved position.
            logger.LogWarning(ex, "Expiry sweep of {Region} failed; the next pass tries again", Region);
        }
    }
}
