using Microsoft.Extensions.Options;
using Payments.Events;

namespace Payments.Webhooks;

/// <summary>
/// What the dispatcher and every endpoint's worker share, resolved once per silo: the stores, the feed, the sender,
/// the key that opens the endpoints' secrets, the appends that wake the workers, the clock of the delivery rules, the
/// settings and the metrics.
/// </summary>
public sealed class WebhookDelivery(
    IWebhookStore store,
    EventFeed feed,
    IEventFeedStore rows,
    LedgerEvents events,
    WebhookSender sender,
    SecretBox secrets,
    ILedgerAppends appends,
    TimeProvider time,
    IOptions<WebhookOptions> options,
    WebhookMetrics metrics)
{
    public IWebhookStore Store { get; } = store;

    public EventFeed Feed { get; } = feed;

    /// <summary>The feed's rows, for finding one event again (a parked one) by its account and seq.</summary>
    public IEventFeedStore Rows { get; } = rows;

    public LedgerEvents Events { get; } = events;

    public WebhookSender Sender { get; } = sender;

    public SecretBox Secrets { get; } = secrets;

    public ILedgerAppends Appends { get; } = appends;

    /// <summary>The clock of the delivery rules (backoff, the hour, the 3 days); operational timing runs on the real one.</summary>
    public TimeProvider Time { get; } = time;

    public WebhookOptions Options { get; } = options.Value;

    public WebhookMetrics Metrics { get; } = metrics;
}
