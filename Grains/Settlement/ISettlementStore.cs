using Payments.Contracts;

namespace Payments.Settlement;

/// <summary>The settlement table: runs totals per account of a region's business day, and reads them back.</summary>
public interface ISettlementStore
{
    /// <summary>The days between <paramref name="from"/> and <paramref name="to"/> whose settlement has finished.</summary>
    Task<IReadOnlySet<DateOnly>> SettledDaysAsync(string region, DateOnly from, DateOnly to, CancellationToken cancellationToken);

    /// <summary>
    /// Settles the day, resuming a run that stopped midway, and returns the finished run. With
    /// <paramref name="again"/> it starts over from the first account even if the day was settled: totals are
    /// recomputed from the ledger and only rows that differ are rewritten.
    /// </summary>
    Task<SettlementRun> SettleAsync(string region, DateOnly businessDate, bool again, CancellationToken cancellationToken);

    /// <summary>The day's run, or null when it has not started.</summary>
    Task<SettlementRun?> FindRunAsync(string region, DateOnly businessDate, CancellationToken cancellationToken);

    /// <summary>The day's totals, by account id descending, before <paramref name="beforeAccountId"/> when given.</summary>
    Task<IReadOnlyList<AccountSettlement>> PageAsync(
        string region, DateOnly businessDate, string? beforeAccountId, int limit, CancellationToken cancellationToken);
}
