using System.Text.Json;

namespace Payments.Api.Apis;

/// <summary>A page of <c>GET /v1/events</c>: CloudEvents in commit order, and the cursor to continue after them.</summary>
public sealed record EventListResponse(IReadOnlyList<JsonElement> Items, string Next);
