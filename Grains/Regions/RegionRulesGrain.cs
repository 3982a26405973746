using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Payments.Contracts;

namespace Payments.Regions;

/// <summary>
/// One region's rules. It seeds the store from configuration on the region's first start, and is the one place a
/// change is validated, versioned and audited. Both regions' clusters may hold an activation for the same region
/// (a region-b silo serves region-a accounts during a failover): the stored version fences their writes, and each
/// re-reads the store when its copy is older than <see cref="RefreshAfter"/>, so a change made through one
/// cluster reaches the other's silos as well.
/// </summary>
public sealed class RegionRulesGrain(
    IRegionRulesStore store,
    ConfiguredRegionRules seeds,
    TimeProvider time,
    ILogger<RegionRulesGrain> logger) : Grain, IRegionRulesGrain
{
    public const string SeedActor = "configuration";
    public static readonly TimeSpan RefreshAfter = TimeSpan.FromSeconds(1);

    private RegionRules? _rules;
    private long _readAt;

    private string Region => this.GetPrimaryKeyString();

    public override Task OnActivateAsync(CancellationToken cancellationToken) => ReadAsync(cancellationToken);

    public async Task<RegionRules?> GetRulesAsync()
    {
        if (Stopwatch.GetElapsedTime(_readAt) >= RefreshAfter)
        {
            try
            {
                await ReadAsync(CancellationToken.None);
            }
            catch (Exception ex)
            {
                // The rules last read stay in force: a store outage must not stop payments.
                logger.LogWarning(ex, "Rules of {Region}: store unreachable, serving version {Version}", Region, _rules?.Version);
            }
        }

        return _rules;
    }

    public async Task<RulesUpdateResult> UpdateRulesAsync(RulesUpdate update)
    {
        try
        {
            // Decide on the stored version, not on this activation's copy: the other region may have written since.
            await ReadAsync(CancellationToken.None);
            if (_rules is not { } current)
            {
                return new(RulesUpdateOutcome.UnknownRegion, null, null);
            }

            if (update.Rules.Version != current.Version)
            {
                return new(RulesUpdateOutcome.VersionConflict, current, null);
            }

            var (next, errors) = RulesRevision.Apply(current, update.Rules, time.GetUtcNow());
            if (next is null)
            {
                return new(RulesUpdateOutcome.Invalid, null, errors);
            }

            if (!await store.ReplaceAsync(Region, current, next, new AuditStamp(update.Actor, time.GetUtcNow()), CancellationToken.None))
            {
                await ReadAsync(CancellationToken.None);
                return new(RulesUpdateOutcome.VersionConflict, _rules, null);
            }

            _rules = next;
            logger.LogInformation("Rules of {Region} changed to version {Version} by {Actor}", Region, next.Version, update.Actor);
            return new(RulesUpdateOutcome.Updated, next, null);
        }
        catch (Exception ex)
        {
            logger.LogWarning(ex, "Rules of {Region}: update by {Actor} not stored", Region, update.Actor);
            return new(RulesUpdateOutcome.Unavailable, null, null);
        }
    }

    private async Task ReadAsync(CancellationToken cancellationToken)
    {
        var stored = await store.FindAsync(Region, cancellationToken);
        if (stored is null && seeds.Find(Region) is { } seed)
        {
            if (RulesRevision.Validate(seed) is { Count: > 0 } errors)
            {
                throw new InvalidOperationException(
                    $"The configured rules of {Region} are invalid: {string.Join("; ", errors.Select(e => $"{e.Key}: {string.Join(" ", e.Value)}"))}");
            }

            stored = await store.SeedAsync(Region, seed, new AuditStamp(SeedActor, time.GetUtcNow()), cancellationToken);
            logger.LogInformation("Rules of {Region} seeded from configuration", Region);
        }

        _rules = stored;
        _readAt = Stopwatch.GetTimestamp();
    }
}
