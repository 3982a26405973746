using Payments.Contracts;

namespace Payments.Regions;

/// <summary>The current rules of every region, read synchronously on the payment path.</summary>
public interface IRegionRulesProvider
{
    /// <summary>The regions this deployment knows.</summary>
    IReadOnlyCollection<string> Regions { get; }

    /// <summary>Completes once every region's rules have been read; <see cref="Find"/> may miss a region before.</summary>
    Task Ready { get; }

    /// <summary>The region's current rules, or null for an unknown region.</summary>
    RegionRules? Find(string region);
}
