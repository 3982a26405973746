using Payments.Contracts;

namespace Payments;

/// <summary>
/// One region's expiry sweep (key = region id): every few seconds it finds the pending holds of the region's accounts
/// that reached their expiry and has each account record the release, so the row is written within a minute of the
/// expiry even when the account is idle or its grain deactivated.
/// </summary>
public interface IHoldExpiryGrain : IGrainWithStringKey
{
    /// <summary>Starts the sweep's timer if it is not running; every silo of the region calls it at start and then regularly.</summary>
    Task StartAsync();

    /// <summary>Sweeps once now, as the timer does, and says what it did.</summary>
    Task<HoldSweep> SweepAsync();
}
