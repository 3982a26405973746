using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Payments.Contracts;

namespace Payments.Accounts.Holds.Expiry;

/// <summary>
/// One pass of a region's expiry sweep, free of the grain that times it: the holds that fell due since the saved
/// position are read in bounded batches, and each of their accounts records its releases itself
/// (<see cref="IAccountGrain.ExpireDueHoldsAsync"/>), through its own group commit like any request, so the sweep never
/// writes to an account behind its grain's back and never holds up another account's payments. The position moves past
/// what was done; an account that could not be asked holds it back, so the next pass asks again.
/// </summary>
/// <remarks>
/// A region that is down sweeps nothing, yet reads treat its due holds as expired: so each pass then stands in for every
/// other region whose own sweep has not saved for <see cref="HoldExpiryOptions.TakeOverAfter"/>, from that region's
/// position, asking its accounts in this region's cluster (as a failover does). A hold is still released once: the
/// release row's entry id is fixed per authorization and rows are fenced by seq, so when the region returns its
/// activations catch up instead of writing the release again, and its sweep goes on from where the stand-in got.
/// </remarks>
public sealed class HoldExpirySweep(
    IHoldExpiryStore store,
    IGrainFactory grains,
    TimeProvider time,
    IOptions<HoldExpiryOptions> options,
    ILogger<HoldExpirySweep> logger)
{
    /// <summary>Sweeps <paramref name="region"/>'s accounts, then those of the <paramref name="regions"/> whose own sweep stopped.</summary>
    public async Task<HoldSweep> SweepAsync(string region, IEnumerable<string> regions, CancellationToken cancellationToken)
    {
        var pass = await SweepRegionAsync(region, own: true, cancellationToken);
        foreach (var other in regions.Where(r => !string.Equals(r, region, StringComparison.Ordinal)))
        {
            var lastOwnPass = await store.LastOwnPassAsync(other, cancellationToken);
            if (lastOwnPass is null || time.GetUtcNow() - lastOwnPass >= options.Value.TakeOverAfter)
            {
                logger.LogInformation("Expiry sweep of {Region}: {Other}'s sweep last passed at {LastPass}; sweeping its accounts too",
                    region, other, lastOwnPass);
                pass = pass.With(await SweepRegionAsync(other, own: false, cancellationToken), other);
            }
        }

        return pass;
    }

    /// <summary>One pass over <paramref name="region"/>'s accounts; its own pass saves at least once, so others see it sweeping.</summary>
    private async Task<HoldSweep> SweepRegionAsync(string region, bool own, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var now = time.GetUtcNow();
        var position = await store.PositionAsync(region, cancellationToken);
        var (due, accounts, failed) = (0, 0, 0);
        for (var batch = 0; batch < settings.BatchesPerPass; batch++)
        {
            var holds = await store.DueAsync(region, position, now, settings.BatchSize, cancellationToken);
            var failures = await ReleaseAsync(holds, settings.Parallelism, cancellationToken);
            (due, accounts, failed) = (due + holds.Count, accounts + holds.DistinctBy(h => h.AccountId).Count(), failed + failures.Count);

            var full = holds.Count == settings.BatchSize;
            var next = full ? holds[^1].Position : SweepPosition.Before(now - settings.Overlap);
            if (failures.Count > 0)
            {
                next = SweepPosition.Min(next, failures.Min().JustBefore());
            }

            next = SweepPosition.Max(position, next);
            if (next != position || (own && batch == 0))
            {
                await store.SavePositionAsync(region, next, own ? now : null, cancellationToken);
                position = next;
            }

            if (!full || failures.Count > 0)
            {
                return new HoldSweep(due, accounts, failed, false);
            }
        }

        return new HoldSweep(due, accounts, failed, true);
    }

    /// <summary>Asks each account once, a few at a time; returns the positions of the holds whose account failed.</summary>
    private async Task<List<SweepPosition>> ReleaseAsync(IReadOnlyList<DueHold> holds, int parallelism, CancellationToken cancellationToken)
    {
        var failures = new List<SweepPosition>();
        var byAccount = holds.GroupBy(h => h.AccountId, StringComparer.Ordinal).ToList();
        await Parallel.ForEachAsync(byAccount, new ParallelOptions { MaxDegreeOfParallelism = parallelism, CancellationToken = cancellationToken },
            async (account, _) =>
            {
                try
                {
                    await grains.GetGrain<IAccountGrain>(account.Key).ExpireDueHoldsAsync();
                }
                catch (Exception ex)
                {
                    logger.LogWarning(ex, "Expiry sweep: account {AccountId} did not record its releases; the next pass asks again", account.Key);
                    lock (failures)
                    {
                        failures.Add(account.Min(h => h.Position));
                    }
                }
            });
        return failures;
    }
}
