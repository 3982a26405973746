using Payments.Contracts;

namespace Payments.Ledger;

/// <summary>
/// One ledger row: the truth of an account is the ordered sequence of its entries (primary key account, seq).
/// </summary>
/// <param name="EntryId">The payment or deposit id: the Idempotency-Key when the client gave one, unique per account.</param>
/// <param name="RequestHash">Fingerprint of the request body, to tell a replay from a reused key.</param>
/// <param name="BusinessDate">The business day the entry counts in, fixed when it was decided.</param>
/// <param name="Settings">For <see cref="EntryKind.Open"/> and <see cref="EntryKind.Settings"/>: the account's settings after it.</param>
public sealed record LedgerEntry(
    string AccountId,
    long Seq,
    EntryKind Kind,
    string EntryId,
    string RequestHash,
    long Amount,
    string Currency,
    string? Merchant,
    string? Mcc,
    string? Reference,
    PaymentStatus Status,
    DeclineReason? DeclineReason,
    long BalanceAfter,
    DateTimeOffset CreatedAt,
    DateOnly BusinessDate,
    string DecidedBy,
    AccountSettings? Settings)
{
    public PaymentRecord ToPayment() => new(
        EntryId, AccountId, Amount, Currency, Merchant ?? "", Mcc ?? "", Status, DeclineReason, BalanceAfter, CreatedAt, DecidedBy);

    public DepositRecord ToDeposit() => new(
        EntryId, AccountId, Amount, Currency, Reference ?? "", BalanceAfter, CreatedAt, DecidedBy);
}

/// <summary>An account's settings as of an open or settings entry.</summary>
public sealed record AccountSettings(string Region, AccountLimits Limits, AccountStatus Status);
