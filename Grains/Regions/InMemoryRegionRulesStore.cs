using Payments.Contracts;

namespace Payments.Regions;

/// <summary>Region rules of the embedded mode and of grain tests: same versioning and audit as PostgreSQL, no durability.</summary>
public sealed class InMemoryRegionRulesStore : IRegionRulesStore
{
    private readonly Dictionary<string, RegionRules> _rules = new(StringComparer.Ordinal);
    private readonly List<AuditRecord> _audit = [];

    /// <summary>The audit rows written so far, oldest first.</summary>
    public IReadOnlyList<AuditRecord> Audit
    {
        get
        {
            lock (_rules)
            {
                return [.. _audit];
            }
        }
    }

    public Task<RegionRules?> FindAsync(string region, CancellationToken cancellationToken)
    {
        lock (_rules)
        {
            return Task.FromResult(_rules.GetValueOrDefault(region));
        }
    }

    public Task<RegionRules> SeedAsync(string region, RegionRules seed, AuditStamp stamp, CancellationToken cancellationToken)
    {
        lock (_rules)
        {
            if (!_rules.TryGetValue(region, out var stored))
            {
                stored = seed with { Version = 1 };
                _rules.Add(region, stored);
                _audit.Add(new AuditRecord(stamp.At, stamp.Actor, RegionRulesJson.SeedAction, RegionRulesJson.Target(region), null, RegionRulesJson.Write(stored)));
            }

            return Task.FromResult(stored);
        }
    }

    public Task<bool> ReplaceAsync(
        string region, RegionRules current, RegionRules next, AuditStamp stamp, CancellationToken cancellationToken)
    {
        lock (_rules)
        {
            if (!_rules.TryGetValue(region, out var stored) || stored.Version != current.Version)
            {
                return Task.FromResult(false);
            }

            _rules[region] = next;
            _audit.Add(new AuditRecord(
                stamp.At, stamp.Actor, RegionRulesJson.UpdateAction, RegionRulesJson.Target(region),
                RegionRulesJson.Write(current), RegionRulesJson.Write(next)));
            return Task.FromResult(true);
        }
    }
}

/// <summary>One admin audit row: who did what to which target, with the JSON before and after.</summary>
public sealed record AuditRecord(DateTimeOffset At, string Actor, string Action, string Target, string? Before, string? After);
