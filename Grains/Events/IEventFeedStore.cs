using Payments.Contracts;
using Payments.Ledger;

namespace Payments.Events;

/// <summary>
/// The ledger read in commit order. A row is handed out only once no row before it can still commit, so a reader that
/// continues from the last position it saw never skips one.
/// </summary>
public interface IEventFeedStore
{
    /// <summary>
    /// The first <paramref name="limit"/> rows after <paramref name="after"/> in feed order that pass
    /// <paramref name="filter"/>, and how far the store looked: past the last row it handed out, or up to the head when
    /// fewer rows matched, so a reader without a cursor of its own continues from there and never looks at the same
    /// rows twice.
    /// </summary>
    Task<FeedPage> ReadAsync(FeedPosition after, FeedFilter filter, int limit, CancellationToken cancellationToken);

    /// <summary>One row by its account and seq, wherever it is in the feed; null when there is none.</summary>
    Task<FeedRow?> FindAsync(string accountId, long seq, CancellationToken cancellationToken);

    /// <summary>The position of the last row handed out so far: a reader starting there sees only what commits from now on.</summary>
    Task<FeedPosition> HeadAsync(CancellationToken cancellationToken);
}

/// <summary>A ledger row at its place in the feed, with its account's home region.</summary>
public sealed record FeedRow(FeedPosition Position, string Region, LedgerEntry Entry);

/// <summary>Which rows a feed reader wants: of one account when given, of these row classes when given (null: all).</summary>
public sealed record FeedFilter(string? AccountId, IReadOnlyCollection<RowClass>? Classes)
{
    public static FeedFilter All { get; } = new(null, null);

    public bool Matches(LedgerEntry entry) =>
        (AccountId is null || string.Equals(entry.AccountId, AccountId, StringComparison.Ordinal))
        && (Classes is null || Classes.Contains(RowClass.Of(entry)));
}

/// <summary>The rows a read found, and the position up to which it looked (at least the position it started from).</summary>
public sealed record FeedPage(IReadOnlyList<FeedRow> Rows, FeedPosition Scanned);
