using Microsoft.AspNetCore.Http;

namespace Payments.Hosting.Problems;

/// <summary>The stable error codes of the contract (api.md), carried in every problem's <c>code</c>.</summary>
public static class ProblemCodes
{
    public const string Unauthenticated = "unauthenticated";
    public const string Forbidden = "forbidden";
    public const string ValidationFailed = "validation_failed";
    public const string AccountExists = "account_exists";
    public const string AccountNotFound = "account_not_found";
    public const string PaymentNotFound = "payment_not_found";
    public const string UnknownRegion = "unknown_region";
    public const string IdempotencyKeyReused = "idempotency_key_reused";
    public const string VersionConflict = "version_conflict";
    public const string RateLimited = "rate_limited";
    public const string PayloadTooLarge = "payload_too_large";
    public const string Unavailable = "unavailable";
    public const string SettlementsUnavailable = "settlements_unavailable";
    public const string NotFound = "not_found";
    public const string MethodNotAllowed = "method_not_allowed";
    public const string ApiKeyExists = "api_key_exists";
    public const string ApiKeyNotFound = "api_key_not_found";
    public const string InternalError = "internal_error";
    public const string WebhookEndpointNotFound = "webhook_endpoint_not_found";
    public const string DeliveryNotFound = "delivery_not_found";
    public const string AuthorizationNotFound = "authorization_not_found";
    public const string AuthorizationNotPending = "authorization_not_pending";
    public const string CaptureExceedsAuthorization = "capture_exceeds_authorization";
    public const string ReversalExceedsHold = "reversal_exceeds_hold";
    public const string RefundExceedsPayment = "refund_exceeds_payment";

    /// <summary>The code of a problem the framework wrote (an unknown path, a wrong method) from its status alone.</summary>
    public static string ForStatus(int? status) => status switch
    {
        StatusCodes.Status400BadRequest or StatusCodes.Status415UnsupportedMediaType => ValidationFailed,
        StatusCodes.Status401Unauthorized => Unauthenticated,
        StatusCodes.Status403Forbidden => Forbidden,
        StatusCodes.Status404NotFound => NotFound,
        StatusCodes.Status405MethodNotAllowed => MethodNotAllowed,
        StatusCodes.Status413PayloadTooLarge => PayloadTooLarge,
        StatusCodes.Status429TooManyRequests => RateLimited,
        StatusCodes.Status503ServiceUnavailable => Unavailable,
        _ => InternalError,
    };
}
