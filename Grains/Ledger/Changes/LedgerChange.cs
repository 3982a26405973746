using System.Text.Json.Serialization;
using Payments.Accounts;
using Payments.Contracts;

namespace Payments.Ledger.Changes;

/// <summary>
/// What one ledger row changes on its account: one type per kind of row, each with its own <see cref="Apply"/> (as
/// the events of Orleans' JournaledTodoList sample). The same types are applied to decide, to replay the ledger
/// into an activation, and in the tests. Persisted as the row's versioned JSON payload (<see cref="LedgerPayload"/>):
/// every property has an explicit JSON name, so renaming one in C# does not break the replay of old rows.
/// </summary>
public abstract record LedgerChange([property: JsonIgnore] EntryKind Kind)
{
    /// <summary>How the row moves the posted balance.</summary>
    public virtual long BalanceEffect() => 0;

    /// <summary>How the row moves what pending authorizations hold, in total.</summary>
    public virtual long HeldEffect() => 0;

    /// <summary>The row's plain columns beside the payload, for set-based readers (settlement, audits).</summary>
    public abstract LedgerColumns Columns(LedgerEntry row);

    /// <summary>
    /// Everything the row changes on the account besides its balance and last seq, which
    /// <see cref="AccountState.Apply"/> moves for every kind alike.
    /// </summary>
    public abstract void Apply(AccountState account, LedgerEntry row);
}

/// <summary>A change that belongs to one authorization.</summary>
public interface IHoldChange
{
    string AuthorizationId { get; }
}

/// <summary>A request made on a standing authorization (an increment, a capture, a reversal), answered with it after.</summary>
public interface IHoldFollowUp<out TRecord> : IHoldChange
{
    TRecord ToRecord(LedgerEntry row, AuthorizationRecord authorization);
}

/// <summary>The plain columns of a ledger row: what SQL reads without parsing the payload.</summary>
/// <param name="AuthorizationId">The authorization the row belongs to, for authorization rows and what follows them.</param>
/// <param name="ExpiresAt">When the authorization's hold expires, on rows that set it.</param>
/// <param name="HoldClosed">True on the row after which the authorization holds nothing any more.</param>
/// <param name="RefundOf">For a refund: the payment or capture it gives money back for.</param>
public sealed record LedgerColumns(
    long Amount,
    string Currency,
    string? Merchant = null,
    string? Mcc = null,
    string? Reference = null,
    PaymentStatus Status = PaymentStatus.Approved,
    DeclineReason? DeclineReason = null,
    string? AuthorizationId = null,
    DateTimeOffset? ExpiresAt = null,
    bool HoldClosed = false,
    string? RefundOf = null);
