namespace Payments.Contracts;

/// <summary>
/// Money a merchant gives back: a credit that gives no ceiling room back. <see cref="PaymentId"/>, when given, names
/// the payment or capture of this account it refunds.
/// </summary>
[GenerateSerializer, Immutable, Alias("payments.RefundRequest")]
public sealed record RefundRequest(
    [property: Id(0)] long Amount,
    [property: Id(1)] string Currency,
    [property: Id(2)] string Merchant,
    [property: Id(3)] string Mcc,
    [property: Id(4)] string? PaymentId,
    [property: Id(5)] string? IdempotencyKey);

/// <summary>A recorded refund, as stored in the ledger.</summary>
[GenerateSerializer, Immutable, Alias("payments.RefundRecord")]
public sealed record RefundRecord(
    [property: Id(0)] string RefundId,
    [property: Id(1)] string AccountId,
    [property: Id(2)] long Amount,
    [property: Id(3)] string Currency,
    [property: Id(4)] string Merchant,
    [property: Id(5)] string Mcc,
    [property: Id(6)] string? PaymentId,
    [property: Id(7)] long BalanceAfter,
    [property: Id(8)] DateTimeOffset CreatedAt,
    [property: Id(9)] string DecidedBy);

/// <summary>The outcome of a refund request.</summary>
[GenerateSerializer, Immutable, Alias("payments.RefundResult")]
public sealed record RefundResult(
    [property: Id(0)] RecordOutcome Outcome,
    [property: Id(1)] RefundRecord? Refund,
    [property: Id(2)] ValidationErrors? Errors);
