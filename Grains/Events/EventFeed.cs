using Payments.Contracts;

namespace Payments.Events;

/// <summary>Reads events from the feed with filters, for the API's reader and for the webhook deliveries alike.</summary>
public sealed class EventFeed(IEventFeedStore store, LedgerEvents events)
{
    /// <summary>Rows read per round trip while looking for events that match the filters.</summary>
    private const int ScanChunk = 500;

    /// <summary>
    /// The first <paramref name="limit"/> events after <paramref name="after"/> that match, and where to continue:
    /// after the last row looked at when something matched, and <paramref name="after"/> itself when nothing did
    /// (the contract: an empty page returns the cursor it was given).
    /// </summary>
    public async Task<(IReadOnlyList<FeedEvent> Events, FeedPosition Next)> ReadAsync(
        FeedPosition after, int limit, EventTypeFilter types, string? accountId, CancellationToken cancellationToken)
    {
        var (events, scanned) = await ScanAsync(after, limit, types, accountId, cancellationToken);
        return (events, events.Count == 0 ? after : scanned);
    }

    /// <summary>
    /// The first <paramref name="limit"/> events after <paramref name="after"/> that match, and the position of the last
    /// row looked at, matching or not: a reader that keeps no cursor of its own continues from there.
    /// </summary>
    public async Task<(IReadOnlyList<FeedEvent> Events, FeedPosition Scanned)> ScanAsync(
        FeedPosition after, int limit, EventTypeFilter types, string? accountId, CancellationToken cancellationToken)
    {
        var found = new List<FeedEvent>();
        var scanned = after;
        while (found.Count < limit)
        {
            var rows = await store.ReadAsync(scanned, accountId, ScanChunk, cancellationToken);
            foreach (var row in rows)
            {
                scanned = row.Position;
                if (await events.ToEventAsync(row, types, cancellationToken) is { } feedEvent)
                {
                    found.Add(feedEvent);
                    if (found.Count == limit)
                    {
                        break;
                    }
                }
            }

            if (rows.Count < ScanChunk)
            {
                break;
            }
        }

        return (found, scanned);
    }
}
