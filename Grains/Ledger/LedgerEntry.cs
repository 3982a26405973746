using System.Text.Json.Serialization;
using Payments.Accounts;
using Payments.Contracts;
using Payments.Ledger.Changes;

namespace Payments.Ledger;

/// <summary>
/// One ledger row: the truth of an account is the ordered sequence of its entries (primary key account, seq). The
/// envelope is the same for every kind of row; what the row changes is its typed <see cref="Change"/>.
/// </summary>
/// <param name="EntryId">What the row records (a payment, a capture, …): the Idempotency-Key when the client gave one, unique per account.</param>
/// <param name="RequestHash">Fingerprint of the request body, to tell a replay from a reused key.</param>
/// <param name="BalanceAfter">The posted balance after the row.</param>
/// <param name="AvailableAfter">The balance less what pending authorizations hold, after the row.</param>
/// <param name="BusinessDate">The business day the entry counts in, fixed when it was decided.</param>
public sealed record LedgerEntry(
    string AccountId,
    long Seq,
    string EntryId,
    string RequestHash,
    long BalanceAfter,
    long AvailableAfter,
    DateTimeOffset CreatedAt,
    DateOnly BusinessDate,
    string DecidedBy,
    LedgerChange Change)
{
    public EntryKind Kind => Change.Kind;

    /// <summary>
    /// The row that follows <paramref name="account"/>'s last one: the next seq, and the balances that the change
    /// leaves. The only place a row is built, for the grain, the tests and the tools alike.
    /// </summary>
    public static LedgerEntry Next(AccountState account, RowStamp stamp, DateOnly businessDate, LedgerChange change)
    {
        var balance = checked(account.Balance + change.BalanceEffect());
        var held = checked(account.Held + change.HeldEffect());
        return new(
            stamp.AccountId, account.LastSeq + 1, stamp.EntryId, stamp.RequestHash, balance, checked(balance - held),
            stamp.Now, businessDate, stamp.DecidedBy, change);
    }

    /// <summary>The payment as the API answers it; only for payment rows (<see cref="PaymentDecided"/>, payment advices).</summary>
    public PaymentRecord ToPayment() => AsPayment()
        ?? throw new InvalidOperationException($"Row {Seq} of {AccountId} is a {Kind} row, not a payment.");

    /// <summary>The payment this row records, or null when it records none.</summary>
    public PaymentRecord? AsPayment() => Change switch
    {
        PaymentDecided p => new(EntryId, AccountId, p.Amount, p.Currency, p.Merchant, p.Mcc, p.Status, p.DeclineReason, BalanceAfter, CreatedAt, DecidedBy),
        AdviceRecorded { IsAuthorization: false } a => new(
            EntryId, AccountId, a.Amount, a.Currency, a.Merchant, a.Mcc, PaymentStatus.Approved, null, BalanceAfter, CreatedAt, DecidedBy,
            a.Details(this)),
        _ => null,
    };

    /// <summary>The authorization this row opens, as the API answers it right after the row; null when it opens none.</summary>
    public AuthorizationRecord? AsAuthorization() => Change switch
    {
        AuthorizationDecided decided => decided.ToRecord(this),
        AdviceRecorded { IsAuthorization: true } a => new(
            EntryId, AccountId, a.Amount, a.Currency, a.Merchant, a.Mcc, AuthorizationStatus.Pending, null, a.Amount, 0, 0,
            AvailableAfter, a.ExpiresAt, CreatedAt, DecidedBy, a.Details(this)),
        _ => null,
    };

    /// <summary>Whether the row is an item of <paramref name="list"/>: the one place that says which rows each list shows.</summary>
    public bool IsIn(LedgerList list) => list switch
    {
        LedgerList.Payments => Change is PaymentDecided or AdviceRecorded { IsAuthorization: false },
        LedgerList.Authorizations => Change is AuthorizationDecided or AdviceRecorded { IsAuthorization: true },
        _ => throw new ArgumentOutOfRangeException(nameof(list), list, "No such list."),
    };

    /// <summary>The deposit as the API answers it; only for <see cref="DepositMade"/> rows.</summary>
    public DepositRecord ToDeposit() => Change is DepositMade d
        ? new(EntryId, AccountId, d.Amount, d.Currency, d.Reference, BalanceAfter, CreatedAt, DecidedBy)
        : throw new InvalidOperationException($"Row {Seq} of {AccountId} is a {Kind} row, not a deposit.");
}

/// <summary>Who decides a row, when, and under which id: everything of the envelope that does not follow from the state.</summary>
public sealed record RowStamp(string AccountId, string EntryId, string RequestHash, DateTimeOffset Now, string DecidedBy);

/// <summary>An account's settings as of an open or settings entry.</summary>
public sealed record AccountSettings(
    [property: JsonPropertyName("region")] string Region,
    [property: JsonPropertyName("limits")] AccountLimits Limits,
    [property: JsonPropertyName("status")] AccountStatus Status);
