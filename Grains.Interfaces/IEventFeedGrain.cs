using Payments.Contracts;

namespace Payments;

/// <summary>Reads the event feed (every ledger row, as CloudEvents, in commit order) on any silo of the region.</summary>
public interface IEventFeedGrain : IGrainWithIntegerKey
{
    /// <summary>The events after the query's position that match its filters, at most its limit; possibly none.</summary>
    Task<EventPage> ReadAsync(EventQuery query);
}
