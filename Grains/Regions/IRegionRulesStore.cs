using Payments.Contracts;

namespace Payments.Regions;

/// <summary>
/// Where the regions' rules are kept, shared by both regions' clusters. Every write records an admin audit row in
/// the same transaction, so no change goes unaudited and no audit row describes a change that did not happen.
/// </summary>
public interface IRegionRulesStore
{
    /// <summary>The region's stored rules (with their stored version), or null when it has none yet.</summary>
    Task<RegionRules?> FindAsync(string region, CancellationToken cancellationToken);

    /// <summary>Stores <paramref name="seed"/> as version 1 unless the region has rules already; returns the stored rules.</summary>
    Task<RegionRules> SeedAsync(string region, RegionRules seed, AuditStamp stamp, CancellationToken cancellationToken);

    /// <summary>Replaces <paramref name="current"/> with <paramref name="next"/>; false when the stored version is no longer current's.</summary>
    Task<bool> ReplaceAsync(string region, RegionRules current, RegionRules next, AuditStamp stamp, CancellationToken cancellationToken);
}

/// <summary>Who made a change and when, for the admin audit.</summary>
public sealed record AuditStamp(string Actor, DateTimeOffset At);
