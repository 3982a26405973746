using Payments.Hosting.Problems;

namespace Payments.Api.Hosting;

/// <summary>
/// What the OpenAPI document says of each operation beyond its types (by operation name, <c>WithName</c>): the
/// problem codes it answers besides those of every <c>/v1</c> operation (<see cref="OpenApiContract"/>), an example
/// request body and an example answer. docs/api.md shows the same shapes.
/// </summary>
public static class OpenApiExamples
{
    /// <summary>One operation's problem codes and examples (JSON text; null when it has no body).</summary>
    public sealed record Operation(string[] Problems, string? Request, string? Answer);

    private const string Account = """
        { "accountId": "acc-0001", "region": "region-a", "currency": "EUR", "status": "active", "balance": 98750, "version": 2,
          "held": 12000, "available": 86750, "overdrawn": false,
          "limits": { "perPayment": 50000,
            "daily": { "limit": 100000, "spent": 1250, "periodStart": "2026-11-25T02:00:00+00:00", "resetsAt": "2026-11-26T02:00:00+00:00" },
            "weekly": { "limit": 300000, "spent": 1250, "periodStart": "2026-11-23T02:00:00+00:00", "resetsAt": "2026-11-30T02:00:00+00:00" },
            "monthly": { "limit": 800000, "spent": 1250, "periodStart": "2026-11-01T02:00:00+00:00", "resetsAt": "2026-12-01T02:00:00+00:00" } } }
        """;

    private const string Payment = """
        { "paymentId": "pay-0001", "accountId": "acc-0001", "amount": 1250, "currency": "EUR", "merchant": "Boulangerie du Port",
          "mcc": "5411", "status": "approved", "declineReason": null, "balanceAfter": 98750,
          "createdAt": "2026-11-25T10:00:00+00:00", "decidedBy": "region-a" }
        """;

    private static readonly string Authorization = AuthorizationAt("pending", held: 12000, captured: 0, released: 0);

    private const string Region = """
        { "region": "region-a", "local": true, "connected": true, "breaker": "closed", "forcedFailover": true, "takesTraffic": false,
          "lastProbeLatencyMs": 0.9, "lastProbeAt": "2026-11-25T10:00:00+00:00", "unhealthySince": null, "lastFailure": null,
          "servedBy": "region-b", "servedByFailover": true, "routingSetBy": "ops-alice", "routingSetAt": "2026-11-25T09:58:00+00:00" }
        """;

    private const string Rules = """
        { "timeZone": "Europe/Paris", "resetHour": 3, "currency": "EUR", "maxPerPayment": 1000000,
          "defaultLimits": { "perPayment": 50000, "daily": 100000, "weekly": 300000, "monthly": 800000 },
          "blockedMccs": ["7995"], "version": 4, "calendarChange": null,
          "holdExpiry": { "default": "P7D", "byMcc": { "5542": "P1D", "7011": "P31D", "7512": "P31D" } }, "overCapturePercent": 10 }
        """;

    private const string ApiKey = """
        { "id": "0f3a9c2b7d4e5f61", "name": "till-12", "role": "terminal", "merchant": "Boulangerie du Port",
          "createdAt": "2026-11-25T10:00:00+00:00", "createdBy": "dev-admin", "revokedAt": null, "revokedBy": null }
        """;

    private const string CloudEvent = """
        { "specversion": "1.0", "id": "acc-0001:17", "source": "/regions/region-a/accounts/acc-0001", "type": "payment.approved",
          "subject": "acc-0001", "time": "2026-11-25T10:00:00+00:00", "sequence": "17", "datacontenttype": "application/json",
          "data": { "paymentId": "pay-0001", "accountId": "acc-0001", "amount": 1250, "currency": "EUR", "merchant": "Boulangerie du Port",
            "mcc": "5411", "status": "approved", "declineReason": null, "balanceAfter": 98750,
            "createdAt": "2026-11-25T10:00:00+00:00", "decidedBy": "region-a" } }
        """;

    private const string WebhookEndpoint = """
        { "id": "we_5f0c2a9e1b7d4c3a8e6f0b12", "url": "https://hooks.example.com/payments", "types": ["payment.*", "deposit.created"], "description": "fraud", "status": "enabled", "createdAt": "2026-11-25T10:00:00+00:00", "updatedAt": "2026-11-25T10:00:00+00:00" }
        """;

    private const string Delivery = """
        { "deliveryId": "4711", "eventId": "acc-0001:17", "attemptedAt": "2026-11-25T10:00:01+00:00", "httpStatus": 503,
          "error": null, "durationMs": 42, "nextAttemptAt": "2026-11-25T10:00:03+00:00" }
        """;

    public static IReadOnlyDictionary<string, Operation> ByName { get; } = new Dictionary<string, Operation>(StringComparer.Ordinal)
    {
        ["CreateAccount"] = new(
            [ProblemCodes.AccountExists, ProblemCodes.UnknownRegion],
            """
            { "accountId": "acc-0001", "region": "region-a", "currency": "EUR", "initialBalance": 100000,
              "limits": { "perPayment": 50000, "daily": 100000, "weekly": 300000, "monthly": 800000 } }
            """,
            Account),
        ["GetAccount"] = new([ProblemCodes.ValidationFailed, ProblemCodes.AccountNotFound], null, Account),
        ["UpdateAccount"] = new([ProblemCodes.AccountNotFound], """{ "limits": { "daily": 5000 }, "status": "frozen" }""", Account),
        ["CreatePayment"] = new(
            [ProblemCodes.AccountNotFound, ProblemCodes.IdempotencyKeyReused],
            """{ "amount": 1250, "currency": "EUR", "merchant": "Boulangerie du Port", "mcc": "5411" }""",
            Payment),
        ["ListPayments"] = new([ProblemCodes.ValidationFailed, ProblemCodes.AccountNotFound], null, $$"""{ "items": [ {{Payment}} ], "next": "41" }"""),
        ["GetPayment"] = new([ProblemCodes.ValidationFailed, ProblemCodes.PaymentNotFound], null, Payment),
        ["CreateAuthorization"] = new(
            [ProblemCodes.AccountNotFound, ProblemCodes.IdempotencyKeyReused],
            """{ "amount": 12000, "currency": "EUR", "merchant": "Hôtel du Lac", "mcc": "7011" }""",
            Authorization),
        ["GetAuthorization"] = new([ProblemCodes.ValidationFailed, ProblemCodes.AuthorizationNotFound], null, Authorization),
        ["ListAuthorizations"] = new([ProblemCodes.ValidationFailed, ProblemCodes.AccountNotFound], null, $$"""{ "items": [ {{Authorization}} ], "next": "57" }"""),
        ["CreateIncrement"] = new(
            [ProblemCodes.AccountNotFound, ProblemCodes.AuthorizationNotFound, ProblemCodes.AuthorizationNotPending, ProblemCodes.IdempotencyKeyReused],
            """{ "amount": 3000 }""",
            $$"""
            { "incrementId": "inc-0001", "authorizationId": "auth-0001", "amount": 3000, "status": "approved", "declineReason": null,
              "createdAt": "2026-11-26T10:00:00+00:00", "decidedBy": "region-a",
              "authorization": {{AuthorizationAt("pending", held: 15000, captured: 0, released: 0)}} }
            """),
        ["CreateAdvice"] = new(
            [ProblemCodes.AccountNotFound, ProblemCodes.IdempotencyKeyReused],
            """
            { "kind": "payment", "amount": 4200, "currency": "EUR", "merchant": "Station Service", "mcc": "5542",
              "decidedAt": "2026-11-25T09:58:00+00:00", "networkReference": "nw-7f3a-0001" }
            """,
            """
            { "paymentId": "nw-7f3a-0001", "accountId": "acc-0001", "amount": 4200, "currency": "EUR", "merchant": "Station Service",
              "mcc": "5542", "status": "approved", "declineReason": null, "balanceAfter": 94550, "createdAt": "2026-11-25T10:00:00+00:00",
              "decidedBy": "region-a",
              "advice": true, "decidedAt": "2026-11-25T09:58:00+00:00", "overLimits": [] }
            """),
        ["CreateRefund"] = new(
            [ProblemCodes.AccountNotFound, ProblemCodes.PaymentNotFound, ProblemCodes.RefundExceedsPayment, ProblemCodes.IdempotencyKeyReused],
            """{ "amount": 500, "currency": "EUR", "merchant": "Boulangerie du Port", "mcc": "5411", "paymentId": "pay-0001" }""",
            """
            { "refundId": "ref-0001", "accountId": "acc-0001", "amount": 500, "currency": "EUR", "merchant": "Boulangerie du Port",
              "mcc": "5411", "paymentId": "pay-0001", "balanceAfter": 99250, "createdAt": "2026-11-26T11:00:00+00:00", "decidedBy": "region-a" }
            """),
        ["CreateCapture"] = new(
            [ProblemCodes.AccountNotFound, ProblemCodes.AuthorizationNotFound, ProblemCodes.AuthorizationNotPending,
                ProblemCodes.CaptureExceedsAuthorization, ProblemCodes.IdempotencyKeyReused],
            """{ "amount": 11500, "final": true, "force": false }""",
            $$"""
            { "captureId": "cap-0001", "authorizationId": "auth-0001", "amount": 11500, "balanceAfter": 87250,
              "createdAt": "2026-11-27T09:00:00+00:00", "decidedBy": "region-a", "exceedsHold": false, "overLimits": [], "forced": false,
              "authorization": {{AuthorizationAt("closed", held: 0, captured: 11500, released: 500)}} }
            """),
        ["CreateReversal"] = new(
            [ProblemCodes.AccountNotFound, ProblemCodes.AuthorizationNotFound, ProblemCodes.AuthorizationNotPending,
                ProblemCodes.ReversalExceedsHold, ProblemCodes.IdempotencyKeyReused],
            """{ "amount": 2000 }""",
            $$"""
            { "reversalId": "rev-0001", "amount": 2000,
              "authorization": {{AuthorizationAt("pending", held: 10000, captured: 0, released: 2000)}} }
            """),
        ["CreateDeposit"] = new(
            [ProblemCodes.AccountNotFound, ProblemCodes.IdempotencyKeyReused],
            """{ "amount": 50000, "currency": "EUR", "reference": "salary-2026-11" }""",
            """
            { "depositId": "dep-0001", "accountId": "acc-0001", "amount": 50000, "currency": "EUR", "reference": "salary-2026-11",
              "balanceAfter": 148750, "createdAt": "2026-11-25T10:05:00+00:00", "decidedBy": "region-a" }
            """),
        ["ListRegions"] = new([], null, $$"""{ "items": [ {{Region}} ] }"""),
        ["SetRegionRouting"] = new([ProblemCodes.UnknownRegion], """{ "forceFailover": true }""", Region),
        ["GetRegionRules"] = new([ProblemCodes.UnknownRegion], null, Rules),
        ["PutRegionRules"] = new([ProblemCodes.UnknownRegion, ProblemCodes.VersionConflict], Rules.Replace("\"version\": 4", "\"version\": 3", StringComparison.Ordinal), Rules),
        ["ListSettlements"] = new(
            [ProblemCodes.ValidationFailed, ProblemCodes.UnknownRegion, ProblemCodes.SettlementsUnavailable],
            null,
            """
            { "region": "region-a", "businessDate": "2026-11-24",
              "run": { "region": "region-a", "businessDate": "2026-11-24", "accounts": 1, "startedAt": "2026-11-25T02:00:05+00:00", "finishedAt": "2026-11-25T02:00:09+00:00" },
              "items": [ { "accountId": "acc-0001", "currency": "EUR", "approvedCount": 3, "approvedAmount": 4250, "declinedCount": 1, "depositCount": 0, "depositAmount": 0, "captureCount": 1, "captureAmount": 11500, "refundCount": 0, "refundAmount": 0, "adviceCount": 0, "adviceAmount": 0 } ],
              "next": null }
            """),
        ["CreateApiKey"] = new(
            [ProblemCodes.ApiKeyExists],
            """{ "name": "till-12", "role": "terminal", "merchant": "Boulangerie du Port" }""",
            """
            { "id": "0f3a9c2b7d4e5f61", "name": "till-12", "role": "terminal", "merchant": "Boulangerie du Port",
              "createdAt": "2026-11-25T10:00:00+00:00", "createdBy": "dev-admin", "key": "pk_0f3a9c2b7d4e5f61_…" }
            """),
        ["ListEvents"] = new([ProblemCodes.ValidationFailed], null, $$"""{ "items": [ {{CloudEvent}} ], "next": "7421.17.acc-0001" }"""),
        ["CreateWebhookEndpoint"] = new(
            [], """{ "url": "https://hooks.example.com/payments", "types": ["payment.*", "deposit.created"], "description": "fraud" }""",
            WebhookEndpoint.Replace(" }", """, "secret": "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw" }""", StringComparison.Ordinal)),
        ["ListWebhookEndpoints"] = new([], null, $$"""{ "items": [ {{WebhookEndpoint}} ] }"""),
        ["GetWebhookEndpoint"] = new([ProblemCodes.WebhookEndpointNotFound], null, WebhookEndpoint),
        ["UpdateWebhookEndpoint"] = new([ProblemCodes.WebhookEndpointNotFound], """{ "status": "enabled" }""", WebhookEndpoint),
        ["DeleteWebhookEndpoint"] = new([ProblemCodes.WebhookEndpointNotFound], null, null),
        ["ListWebhookDeliveries"] = new(
            [ProblemCodes.ValidationFailed, ProblemCodes.WebhookEndpointNotFound], null, $$"""{ "items": [ {{Delivery}} ], "next": null }"""),
        ["RetryWebhookDelivery"] = new(
            [ProblemCodes.WebhookEndpointNotFound, ProblemCodes.DeliveryNotFound], null,
            Delivery.Replace("503", "200", StringComparison.Ordinal)),
        ["ListApiKeys"] = new([], null, $$"""{ "items": [ {{ApiKey}} ] }"""),
        ["RevokeApiKey"] = new([ProblemCodes.ValidationFailed, ProblemCodes.ApiKeyNotFound], null, null),
    };

    /// <summary>The example authorization of 12000 at hotel, as it stands after what the example did to it.</summary>
    private static string AuthorizationAt(string status, long held, long captured, long released) => string.Create(
        System.Globalization.CultureInfo.InvariantCulture, $$"""
        { "authorizationId": "auth-0001", "accountId": "acc-0001", "amount": 12000, "currency": "EUR", "merchant": "Hôtel du Lac",
          "mcc": "7011", "status": "{{status}}", "declineReason": null, "held": {{held}}, "captured": {{captured}}, "released": {{released}},
          "availableAfter": 86750, "expiresAt": "2026-12-26T10:00:00+00:00", "createdAt": "2026-11-25T10:00:00+00:00",
          "decidedBy": "region-a" }
        """);
}
