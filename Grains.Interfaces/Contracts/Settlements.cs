namespace Payments.Contracts;

/// <summary>One account's totals for one closed business day of its home region, from the ledger.</summary>
/// <param name="ApprovedCount">Single-message payments approved by the bank (advices are counted apart).</param>
/// <param name="CaptureAmount">What captures posted, from their holds and beyond them.</param>
/// <param name="RefundAmount">What refunds credited.</param>
/// <param name="AdviceCount">Advices recorded, of payments and of authorizations.</param>
/// <param name="AdviceAmount">What payment advices posted; an authorization advice's money is posted by its captures.</param>
[GenerateSerializer, Immutable, Alias("payments.AccountSettlement")]
public sealed record AccountSettlement(
    [property: Id(0)] string AccountId,
    [property: Id(1)] string Currency,
    [property: Id(2)] long ApprovedCount,
    [property: Id(3)] long ApprovedAmount,
    [property: Id(4)] long DeclinedCount,
    [property: Id(5)] long DepositCount,
    [property: Id(6)] long DepositAmount,
    [property: Id(7)] long CaptureCount,
    [property: Id(8)] long CaptureAmount,
    [property: Id(9)] long RefundCount,
    [property: Id(10)] long RefundAmount,
    [property: Id(11)] long AdviceCount,
    [property: Id(12)] long AdviceAmount);

/// <summary>The settlement of one region's business day: how far it got and when.</summary>
[GenerateSerializer, Immutable, Alias("payments.SettlementRun")]
public sealed record SettlementRun(
    [property: Id(0)] string Region,
    [property: Id(1)] DateOnly BusinessDate,
    [property: Id(2)] long Accounts,
    [property: Id(3)] DateTimeOffset StartedAt,
    [property: Id(4)] DateTimeOffset? FinishedAt);

/// <summary>How a settlement read ended.</summary>
public enum SettlementReadOutcome
{
    Found = 0,
    UnknownRegion = 1,
    /// <summary>This deployment has no PostgreSQL (the embedded mode): there is no settlement.</summary>
    Unavailable = 2,
}

/// <summary>
/// A page of a day's settlement, by account id descending; <see cref="NextBeforeAccountId"/> continues it.
/// <see cref="Run"/> is null while the day has not been settled yet.
/// </summary>
[GenerateSerializer, Immutable, Alias("payments.SettlementPage")]
public sealed record SettlementPage(
    [property: Id(0)] SettlementReadOutcome Outcome,
    [property: Id(1)] SettlementRun? Run,
    [property: Id(2)] IReadOnlyList<AccountSettlement> Items,
    [property: Id(3)] string? NextBeforeAccountId);
