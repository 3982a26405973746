using System.Text.Json.Serialization;
using Payments.Accounts;
using Payments.Contracts;

namespace Payments.Ledger.Changes;

/// <summary>
/// More money on a pending authorization's hold: approved (held from now, counted in the periods of its business day,
/// the hold period started over until <see cref="ExpiresAt"/>) or declined (recorded for replay, the hold as it was).
/// </summary>
public sealed record IncrementDecided(
    [property: JsonPropertyName("authorizationId")] string AuthorizationId,
    [property: JsonPropertyName("amount")] long Amount,
    [property: JsonPropertyName("currency")] string Currency,
    [property: JsonPropertyName("status")] PaymentStatus Status,
    [property: JsonPropertyName("declineReason")] DeclineReason? DeclineReason,
    [property: JsonPropertyName("expiresAt")] DateTimeOffset? ExpiresAt) : LedgerChange(EntryKind.Increment), IHoldFollowUp<IncrementRecord>
{
    private bool Approved => Status == PaymentStatus.Approved;

    public override long HeldEffect() => Approved ? Amount : 0;

    public override LedgerColumns Columns(LedgerEntry row) =>
        new(Amount, Currency, Status: Status, DeclineReason: DeclineReason, AuthorizationId: AuthorizationId, ExpiresAt: ExpiresAt);

    public override void Apply(AccountState account, LedgerEntry row)
    {
        if (!Approved)
        {
            return;
        }

        account.Spend(row.BusinessDate, Amount);
        account.Holds[AuthorizationId].Increase(row.BusinessDate, Amount, row.CreatedAt, ExpiresAt!.Value);
    }

    /// <summary>The increment as the API answers it, with its authorization as of the answer.</summary>
    public IncrementRecord ToRecord(LedgerEntry row, AuthorizationRecord authorization) =>
        new(row.EntryId, AuthorizationId, Amount, Status, DeclineReason, row.CreatedAt, row.DecidedBy, authorization);
}
