using Payments.Contracts;

namespace Payments.Events;

/// <summary>Reads events from the feed with filters, for the API's reader and for the webhook deliveries alike.</summary>
/// <remarks>The store applies the filters (in SQL on PostgreSQL): only the rows that match are read and turned into events.</remarks>
public sealed class EventFeed(IEventFeedStore store, LedgerEvents events)
{
    /// <summary>
    /// The first <paramref name="limit"/> events after <paramref name="after"/> that match, and the position of the last
    /// row looked at, matching or not: a reader that keeps no cursor of its own continues from there.
    /// </summary>
    public async Task<(IReadOnlyList<FeedEvent> Events, FeedPosition Scanned)> ScanAsync(
        FeedPosition after, int limit, EventTypeFilter types, string? accountId, CancellationToken cancellationToken)
    {
        var page = await store.ReadAsync(after, new FeedFilter(accountId, LedgerEventTypes.Matching(types)), limit, cancellationToken);
        var found = new List<FeedEvent>(page.Rows.Count);
        foreach (var row in page.Rows)
        {
            found.Add(await events.ToEventAsync(row, cancellationToken));
        }

        return (found, page.Scanned);
    }
}
