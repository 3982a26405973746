using Payments.Contracts;
using Payments.Ledger;

namespace Payments.Events;

/// <summary>
/// The ledger read in commit order. A row is handed out only once no row before it can still commit, so a reader that
/// continues from the last position it saw never skips one.
/// </summary>
public interface IEventFeedStore
{
    /// <summary>The rows after <paramref name="after"/> in feed order, of one account when given, at most <paramref name="limit"/>.</summary>
    Task<IReadOnlyList<FeedRow>> ReadAsync(FeedPosition after, string? accountId, int limit, CancellationToken cancellationToken);

    /// <summary>One row by its account and seq, wherever it is in the feed; null when there is none.</summary>
    Task<FeedRow?> FindAsync(string accountId, long seq, CancellationToken cancellationToken);

    /// <summary>The position of the last row handed out so far: a reader starting there sees only what commits from now on.</summary>
    Task<FeedPosition> HeadAsync(CancellationToken cancellationToken);
}

/// <summary>A ledger row at its place in the feed, with its account's home region.</summary>
public sealed record FeedRow(FeedPosition Position, string Region, LedgerEntry Entry);
