namespace Payments.Api.Auditing;

/// <summary>
/// The back office's audit trail (table <c>admin_audit</c>): who changed what, with the thing before and after.
/// Call it after a change took effect; the actor is the API key's name (<c>ApiKeyIdentity.NameOf(context.User)</c>).
/// </summary>
public interface IAdminAudit
{
    /// <summary>Records one change. Never throws for a storage failure: the change has happened, so the entry is logged instead.</summary>
    Task RecordAsync(AdminAuditEntry entry, CancellationToken cancellationToken);
}

/// <summary>One audited change. <see cref="Before"/> and <see cref="After"/> are stored as their JSON views.</summary>
/// <param name="Target">What changed, as <c>kind:id</c>: <c>account:acc-1</c>, <c>api_key:0f3a…</c>, <c>region:region-a</c>.</param>
public sealed record AdminAuditEntry(string Actor, string Action, string Target, object? Before, object? After);

/// <summary>The audited actions.</summary>
public static class AdminActions
{
    public const string AccountCreated = "account.created";
    public const string AccountUpdated = "account.updated";
    public const string DepositCreated = "deposit.created";
    public const string ApiKeyCreated = "api_key.created";
    public const string ApiKeyRevoked = "api_key.revoked";
    public const string RegionRulesUpdated = "region_rules.updated";
    public const string RegionRoutingUpdated = "region_routing.updated";
    public const string WebhookEndpointCreated = "webhook_endpoint.created";
    public const string WebhookEndpointUpdated = "webhook_endpoint.updated";
    public const string WebhookEndpointDeleted = "webhook_endpoint.deleted";
    public const string WebhookDeliveryRetried = "webhook_delivery.retried";

    public static string Account(string accountId) => $"account:{accountId}";

    public static string ApiKey(string id) => $"api_key:{id}";

    public static string Region(string region) => $"region:{region}";

    public static string WebhookEndpoint(string endpointId) => $"webhook_endpoint:{endpointId}";
}
