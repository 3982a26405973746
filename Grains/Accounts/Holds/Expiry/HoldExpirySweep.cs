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
public sealed class HoldExpirySweep(
    IHoldExpiryStore store,
    IGrainFactory grains,
    TimeProvider time,
    IOptions<HoldExpiryOptions> options,
    ILogger<HoldExpirySweep> logger)
{
    public async Task<HoldSweep> SweepAsync(string region, CancellationToken cancellationToken)
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
            if (next != position)
            {
                await store.SavePositionAsync(region, next, cancellationToken);
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
