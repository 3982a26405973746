namespace Payments.LoadGen.Http;

/// <summary>An event as a consumer got it: its id, its <c>time</c> (when it was recorded, just before its commit) and when it arrived.</summary>
public readonly record struct ArrivedEvent(string Id, DateTimeOffset Time, DateTimeOffset ArrivedAt)
{
    public TimeSpan Lag => ArrivedAt - Time;
}

/// <summary>A page of <c>GET /v1/events</c>: its events and the cursor to ask after.</summary>
public sealed record EventsPage(IReadOnlyList<ArrivedEvent> Items, string Next);
