namespace Payments.Contracts;

/// <summary>Whether an endpoint receives deliveries; the worker disables one that failed for 3 days.</summary>
public enum WebhookEndpointStatus
{
    Enabled = 0,
    Disabled = 1,
}

/// <summary>How a webhook endpoint request ended.</summary>
public enum WebhookOutcome
{
    Done = 0,
    EndpointNotFound = 1,
    DeliveryNotFound = 2,
    Invalid = 3,
    /// <summary>No webhook store here: the embedded mode, or no secret key configured.</summary>
    Unavailable = 4,
}

/// <summary>A webhook endpoint as the API shows it; the secret is never in it.</summary>
[GenerateSerializer, Immutable, Alias("payments.WebhookEndpointView")]
public sealed record WebhookEndpointView(
    [property: Id(0)] string Id,
    [property: Id(1)] string Url,
    [property: Id(2)] IReadOnlyList<string> Types,
    [property: Id(3)] string Description,
    [property: Id(4)] WebhookEndpointStatus Status,
    [property: Id(5)] DateTimeOffset CreatedAt,
    [property: Id(6)] DateTimeOffset UpdatedAt);

/// <summary>A new endpoint: where to deliver and which event types (exact or <c>prefix.*</c>).</summary>
[GenerateSerializer, Immutable, Alias("payments.NewWebhookEndpoint")]
public sealed record NewWebhookEndpoint(
    [property: Id(0)] string Url,
    [property: Id(1)] IReadOnlyList<string> Types,
    [property: Id(2)] string Description);

/// <summary>A change to an endpoint: only the fields set. Enabling a disabled endpoint restarts its 3 days.</summary>
[GenerateSerializer, Immutable, Alias("payments.WebhookEndpointChange")]
public sealed record WebhookEndpointChange(
    [property: Id(0)] string? Url,
    [property: Id(1)] IReadOnlyList<string>? Types,
    [property: Id(2)] string? Description,
    [property: Id(3)] WebhookEndpointStatus? Status);

/// <summary>The outcome of a request on one endpoint; <see cref="Secret"/> only when it was just created.</summary>
[GenerateSerializer, Immutable, Alias("payments.WebhookEndpointResult")]
public sealed record WebhookEndpointResult(
    [property: Id(0)] WebhookOutcome Outcome,
    [property: Id(1)] WebhookEndpointView? Endpoint,
    [property: Id(2)] string? Secret,
    [property: Id(3)] ValidationErrors? Errors);

/// <summary>Every endpoint, newest first.</summary>
[GenerateSerializer, Immutable, Alias("payments.WebhookEndpointList")]
public sealed record WebhookEndpointList(
    [property: Id(0)] WebhookOutcome Outcome,
    [property: Id(1)] IReadOnlyList<WebhookEndpointView> Items);

/// <summary>One delivery attempt: the event, when, the HTTP status or the error, how long, and when the next one is due.</summary>
[GenerateSerializer, Immutable, Alias("payments.DeliveryAttempt")]
public sealed record DeliveryAttempt(
    [property: Id(0)] string DeliveryId,
    [property: Id(1)] string EventId,
    [property: Id(2)] DateTimeOffset AttemptedAt,
    [property: Id(3)] int? HttpStatus,
    [property: Id(4)] string? Error,
    [property: Id(5)] long DurationMs,
    [property: Id(6)] DateTimeOffset? NextAttemptAt);

/// <summary>A page of an endpoint's attempts, newest first; <see cref="NextBefore"/> continues it.</summary>
[GenerateSerializer, Immutable, Alias("payments.DeliveryPage")]
public sealed record DeliveryPage(
    [property: Id(0)] WebhookOutcome Outcome,
    [property: Id(1)] IReadOnlyList<DeliveryAttempt> Items,
    [property: Id(2)] long? NextBefore);

/// <summary>The outcome of a manual retry: the new attempt when there was one.</summary>
[GenerateSerializer, Immutable, Alias("payments.DeliveryRetryResult")]
public sealed record DeliveryRetryResult(
    [property: Id(0)] WebhookOutcome Outcome,
    [property: Id(1)] DeliveryAttempt? Attempt);
