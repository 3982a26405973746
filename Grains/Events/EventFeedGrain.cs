using Orleans.Concurrency;
using Payments.Contracts;

namespace Payments.Events;

/// <summary>The feed's reader for the API: stateless, on whichever silo is at hand.</summary>
[StatelessWorker]
public sealed class EventFeedGrain(EventFeed feed) : Grain, IEventFeedGrain
{
    public async Task<EventPage> ReadAsync(EventQuery query)
    {
        var (events, scanned) = await feed.ScanAsync(query.After, query.Limit, new EventTypeFilter(query.Types), query.AccountId, CancellationToken.None);
        // The contract: a page with no items returns the cursor it was given.
        return new EventPage(events.Select(e => e.Json).ToList(), events.Count == 0 ? query.After : scanned, scanned);
    }
}
