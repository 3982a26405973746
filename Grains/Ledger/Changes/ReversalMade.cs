using System.Text.Json.Serialization;
using Payments.Accounts;
using Payments.Contracts;

namespace Payments.Ledger.Changes;

/// <summary>Part or all of what a pending authorization holds, given back to the account and to the periods it counted in.</summary>
public sealed record ReversalMade(
    [property: JsonPropertyName("authorizationId")] string AuthorizationId,
    [property: JsonPropertyName("amount")] long Amount,
    [property: JsonPropertyName("currency")] string Currency,
    [property: JsonPropertyName("heldAfter")] long HeldAfter) : LedgerChange(EntryKind.Reversal), IHoldFollowUp<ReversalRecord>
{
    public override long HeldEffect() => -Amount;

    public override LedgerColumns Columns(LedgerEntry row) =>
        new(Amount, Currency, AuthorizationId: AuthorizationId, HoldClosed: HeldAfter == 0);

    public override void Apply(AccountState account, LedgerEntry row)
    {
        var hold = account.Holds[AuthorizationId];
        hold.Release(Amount, account.Unspend);
        hold.Released = checked(hold.Released + Amount);
    }

    /// <summary>The reversal as the API answers it, with its authorization as of the answer.</summary>
    public ReversalRecord ToRecord(LedgerEntry row, AuthorizationRecord authorization) => new(row.EntryId, Amount, authorization);
}
