using Payments.Contracts;

namespace Payments;

/// <summary>One region's rules (key = region id): the single writer of the stored rules, read by every silo's cache.</summary>
public interface IRegionRulesGrain : IGrainWithStringKey
{
    /// <summary>The region's current rules, or null for a region this deployment does not know.</summary>
    Task<RegionRules?> GetRulesAsync();

    /// <summary>Replaces the rules when the proposed version is the current one, and records who did it.</summary>
    Task<RulesUpdateResult> UpdateRulesAsync(RulesUpdate update);
}
