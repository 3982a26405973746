namespace Payments.Contracts;

/// <summary>The event types of the contract (api.md, "Events and webhooks"): one per kind of recorded operation.</summary>
public static class EventTypes
{
    public const string PaymentApproved = "payment.approved";
    public const string PaymentDeclined = "payment.declined";
    public const string AuthorizationPending = "authorization.pending";
    public const string AuthorizationDeclined = "authorization.declined";
    public const string AuthorizationIncremented = "authorization.incremented";
    public const string AuthorizationIncrementDeclined = "authorization.increment_declined";
    public const string AuthorizationCaptured = "authorization.captured";
    public const string AuthorizationReversed = "authorization.reversed";
    public const string AuthorizationExpired = "authorization.expired";
    public const string RefundCreated = "refund.created";
    public const string DepositCreated = "deposit.created";
    public const string AccountOpened = "account.opened";
    public const string AccountUpdated = "account.updated";

    /// <summary>Every type, for validating filters.</summary>
    public static IReadOnlyList<string> All { get; } =
    [
        PaymentApproved, PaymentDeclined, AuthorizationPending, AuthorizationDeclined, AuthorizationIncremented,
        AuthorizationIncrementDeclined, AuthorizationCaptured, AuthorizationReversed, AuthorizationExpired, RefundCreated,
        DepositCreated, AccountOpened, AccountUpdated,
    ];
}
