using Orleans.Concurrency;
using Payments.Contracts;

namespace Payments;

/// <summary>
/// One region's off-peak settlement (key = region id): a reminder at the region's reset hour totals each closed
/// business day from the ledger into the settlement table.
/// </summary>
public interface ISettlementGrain : IGrainWithStringKey
{
    /// <summary>Registers the region's settlement reminder; every silo of the region calls it at start.</summary>
    Task ScheduleAsync();

    /// <summary>
    /// Settles every recently closed business day not settled yet, as the reminder does, and returns those runs. The
    /// run goes on on the silo even if this call times out (a large region takes minutes).
    /// </summary>
    Task<IReadOnlyList<SettlementRun>> SettleDueDaysAsync();

    /// <summary>Reads a page of a day's settlement, accounts before <paramref name="beforeAccountId"/> when given.</summary>
    [AlwaysInterleave]
    Task<SettlementPage> ListAsync(DateOnly businessDate, int limit, string? beforeAccountId);
}
