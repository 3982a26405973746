using Orleans.Concurrency;
using Payments.Contracts;

namespace Payments.Events;

/// <summary>The feed's reader for the API: stateless, on whichever silo is at hand.</summary>
[StatelessWorker]
public sealed class EventFeedGrain(EventFeed feed) : Grain, IEventFeedGrain
{
    public async Task<EventPage> ReadAsync(EventQuery query)
    {
        var (events, next) = await feed.ReadAsync(query.After, query.Limit, new EventTypeFilter(query.Types), query.AccountId, CancellationToken.None);
        return new EventPage(events.Select(e => e.Json).ToList(), next);
    }
}
