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
        var found = new List<FeedEvent>();
        var next = after;
        while (found.Count < limit)
        {
            var rows = await store.ReadAsync(next, accountId, ScanChunk, cancellationToken);
            foreach (var row in rows)
            {
                next = row.Position;
                var feedEvent = await events.ToEventAsync(row, cancellationToken);
                if (types.Matches(feedEvent.Type))
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

        return (found, found.Count == 0 ? after : next);
    }
}
