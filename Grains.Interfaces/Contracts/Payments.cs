using System.Text.Json.Serialization;

namespace Payments.Contracts;

/// <summary>A card payment to decide. <see cref="IdempotencyKey"/> makes it exactly-once.</summary>
[GenerateSerializer, Immutable, Alias("payments.PaymentRequest")]
public sealed record PaymentRequest(
    [property: Id(0)] long Amount,
    [property: Id(1)] string Currency,
    [property: Id(2)] string Merchant,
    [property: Id(3)] string Mcc,
    [property: Id(4)] string? IdempotencyKey);

/// <summary>A recorded payment decision, as stored in the ledger.</summary>
/// <param name="Network">Set on what the network decided (an advice): its details. JSON shows them as the contract's
/// <c>advice</c>, <c>decidedAt</c> and <c>overLimits</c>; the network's reference is the payment's id.</param>
[GenerateSerializer, Immutable, Alias("payments.PaymentRecord")]
public sealed record PaymentRecord(
    [property: Id(0)] string PaymentId,
    [property: Id(1)] string AccountId,
    [property: Id(2)] long Amount,
    [property: Id(3)] string Currency,
    [property: Id(4)] string Merchant,
    [property: Id(5)] string Mcc,
    [property: Id(6)] PaymentStatus Status,
    [property: Id(7)] DeclineReason? DeclineReason,
    [property: Id(8)] long BalanceAfter,
    [property: Id(9)] DateTimeOffset CreatedAt,
    [property: Id(10)] string DecidedBy,
    [property: Id(11), JsonIgnore] AdviceDetails? Network = null)
{
    /// <summary>The payment as JSON has it (the contract's fields; an advice's reference is the payment's id).</summary>
    [JsonConstructor]
    public PaymentRecord(
        string paymentId, string accountId, long amount, string currency, string merchant, string mcc, PaymentStatus status,
        DeclineReason? declineReason, long balanceAfter, DateTimeOffset createdAt, string decidedBy, bool advice,
        DateTimeOffset? decidedAt, IReadOnlyList<string>? overLimits)
        : this(paymentId, accountId, amount, currency, merchant, mcc, status, declineReason, balanceAfter, createdAt, decidedBy,
            AdviceDetails.FromJson(advice, decidedAt, paymentId, overLimits))
    {
    }

    /// <summary>True on what the network decided (an advice), false on what the bank decided itself.</summary>
    [JsonPropertyName("advice")] public bool Advice => Network is not null;

    /// <summary>An advice's: when the network decided it.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public DateTimeOffset? DecidedAt => Network?.DecidedAt;

    /// <summary>An advice's: the ceilings (daily, weekly, monthly) it took past their limit.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public IReadOnlyList<string>? OverLimits => Network?.OverLimits;
}

/// <summary>How a request that writes to the ledger ended.</summary>
public enum RecordOutcome
{
    /// <summary>Decided now and durable.</summary>
    Created = 0,
    /// <summary>The same Idempotency-Key and body were seen before: the stored result, unchanged.</summary>
    Replayed = 1,
    NotFound = 2,
    /// <summary>The Idempotency-Key was used before with another body.</summary>
    KeyReused = 3,
    Invalid = 4,
    /// <summary>The decision could not be made durable: nothing was approved.</summary>
    Unavailable = 5,
    /// <summary>Too many requests already wait for this account: refused at once, nothing decided.</summary>
    Overloaded = 6,
    /// <summary>No authorization with that id on the account.</summary>
    AuthorizationNotFound = 7,
    /// <summary>The authorization is closed, reversed or declined (or, for a reversal, expired): nothing recorded.</summary>
    AuthorizationNotPending = 8,
    /// <summary>The captures would total more than the authorization's cap: nothing recorded.</summary>
    CaptureExceedsAuthorization = 9,
    /// <summary>A reversal of more than is held: nothing recorded.</summary>
    ReversalExceedsHold = 10,
    /// <summary>Refunds of one payment or capture would total more than it: nothing recorded.</summary>
    RefundExceedsPayment = 11,
    /// <summary>The payment or capture a refund names is not one of the account's: nothing recorded.</summary>
    PaymentNotFound = 12,
}

/// <summary>The outcome of a payment request.</summary>
[GenerateSerializer, Immutable, Alias("payments.PaymentResult")]
public sealed record PaymentResult(
    [property: Id(0)] RecordOutcome Outcome,
    [property: Id(1)] PaymentRecord? Payment,
    [property: Id(2)] ValidationErrors? Errors);

/// <summary>A page of payments, newest first; <see cref="NextBeforeSeq"/> continues it.</summary>
[GenerateSerializer, Immutable, Alias("payments.PaymentPage")]
public sealed record PaymentPage(
    [property: Id(0)] IReadOnlyList<PaymentRecord> Items,
    [property: Id(1)] long? NextBeforeSeq);
