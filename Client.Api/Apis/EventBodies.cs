using System.Text.Json;
using Payments.Contracts;

namespace Payments.Api.Apis;

/// <summary>A page of <c>GET /v1/events</c>: CloudEvents in commit order, and the cursor to continue after them.</summary>
public sealed record EventListResponse(IReadOnlyList<JsonElement> Items, string Next);

/// <summary><c>POST /v1/webhook-endpoints</c>.</summary>
public sealed record CreateWebhookEndpointBody(string? Url, IReadOnlyList<string>? Types, string? Description);

/// <summary><c>PATCH /v1/webhook-endpoints/{id}</c>: only the fields set change; <c>status: enabled</c> re-enables.</summary>
public sealed record UpdateWebhookEndpointBody(string? Url, IReadOnlyList<string>? Types, string? Description, WebhookEndpointStatus? Status);

/// <summary>A new endpoint with its secret: the only answer that shows it.</summary>
public sealed record CreatedWebhookEndpoint(
    string Id, string Url, IReadOnlyList<string> Types, string Description, WebhookEndpointStatus Status, DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt, string Secret)
{
    public static CreatedWebhookEndpoint From(WebhookEndpointView view, string secret) =>
        new(view.Id, view.Url, view.Types, view.Description, view.Status, view.CreatedAt, view.UpdatedAt, secret);
}

/// <summary>Every webhook endpoint, newest first.</summary>
public sealed record WebhookEndpointListResponse(IReadOnlyList<WebhookEndpointView> Items);

/// <summary>An endpoint's delivery attempts, newest first; <c>next</c> is the cursor of the following page.</summary>
public sealed record DeliveryListResponse(IReadOnlyList<DeliveryAttempt> Items, string? Next);
