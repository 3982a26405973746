namespace Payments.Contracts;

/// <summary>What to read from the event feed: the events committed after <see cref="After"/> that match the filters.</summary>
/// <param name="Types">Event types; one ending in <c>.*</c> matches every type with that prefix. Empty: every type.</param>
[GenerateSerializer, Immutable, Alias("payments.EventQuery")]
public sealed record EventQuery(
    [property: Id(0)] FeedPosition After,
    [property: Id(1)] int Limit,
    [property: Id(2)] IReadOnlyList<string> Types,
    [property: Id(3)] string? AccountId);

/// <summary>
/// A page of the feed: each item one event in structured-mode CloudEvents JSON, in commit order. <see cref="Next"/>
/// continues after the last event read (the query's own position when there was none: the contract's cursor).
/// <see cref="Scanned"/> is how far the read looked, matching or not: a long poll asks again from there, so it does not
/// look at the same rows again while it waits.
/// </summary>
[GenerateSerializer, Immutable, Alias("payments.EventPage")]
public sealed record EventPage(
    [property: Id(0)] IReadOnlyList<string> Items,
    [property: Id(1)] FeedPosition Next,
    [property: Id(2)] FeedPosition Scanned);
