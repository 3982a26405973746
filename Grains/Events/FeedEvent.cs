using Payments.Contracts;

namespace Payments.Events;

/// <summary>One ledger row as an event: its place in the feed, what filters and ordering need, and its CloudEvents JSON.</summary>
/// <param name="Id">Stable: the same row always gives the same id, so a consumer dedupes redeliveries by it.</param>
public sealed record FeedEvent(FeedPosition Position, string Id, string Type, string AccountId, long Seq, DateTimeOffset Time, string Json);
