namespace Payments.Contracts;

/// <summary>A credit to the account. <see cref="IdempotencyKey"/> makes it exactly-once.</summary>
[GenerateSerializer, Immutable, Alias("payments.DepositRequest")]
public sealed record DepositRequest(
    [property: Id(0)] long Amount,
    [property: Id(1)] string Currency,
    [property: Id(2)] string Reference,
    [property: Id(3)] string? IdempotencyKey);

/// <summary>A recorded deposit, as stored in the ledger.</summary>
[GenerateSerializer, Immutable, Alias("payments.DepositRecord")]
public sealed record DepositRecord(
    [property: Id(0)] string DepositId,
    [property: Id(1)] string AccountId,
    [property: Id(2)] long Amount,
    [property: Id(3)] string Currency,
    [property: Id(4)] string Reference,
    [property: Id(5)] long BalanceAfter,
    [property: Id(6)] DateTimeOffset CreatedAt,
    [property: Id(7)] string DecidedBy);

/// <summary>The outcome of a deposit request.</summary>
[GenerateSerializer, Immutable, Alias("payments.DepositResult")]
public sealed record DepositResult(
    [property: Id(0)] RecordOutcome Outcome,
    [property: Id(1)] DepositRecord? Deposit,
    [property: Id(2)] ValidationErrors? Errors);
