using System.Text.Json.Serialization;
using Payments.Accounts;
using Payments.Accounts.Holds;
using Payments.Contracts;

namespace Payments.Ledger.Changes;

/// <summary>
/// An authorization, approved (a hold of <see cref="Amount"/> until <see cref="ExpiresAt"/>, counted in the periods of
/// its business day) or declined (recorded for replay, nothing held). The authorization id is the row's entry id.
/// </summary>
public sealed record AuthorizationDecided(
    [property: JsonPropertyName("amount")] long Amount,
    [property: JsonPropertyName("currency")] string Currency,
    [property: JsonPropertyName("merchant")] string Merchant,
    [property: JsonPropertyName("mcc")] string Mcc,
    [property: JsonPropertyName("status")] PaymentStatus Status,
    [property: JsonPropertyName("declineReason")] DeclineReason? DeclineReason,
    [property: JsonPropertyName("expiresAt")] DateTimeOffset? ExpiresAt,
    [property: JsonPropertyName("overCapturePercent")] int OverCapturePercent) : LedgerChange(EntryKind.Authorization)
{
    private bool Approved => Status == PaymentStatus.Approved;

    public override long HeldEffect() => Approved ? Amount : 0;

    public override LedgerColumns Columns(LedgerEntry row) =>
        new(Amount, Currency, Merchant, Mcc, null, Status, DeclineReason, row.EntryId, ExpiresAt, HoldClosed: !Approved);

    public override void Apply(AccountState account, LedgerEntry row)
    {
        if (!Approved)
        {
            return;
        }

        account.Spend(row.BusinessDate, Amount);
        account.Holds[row.EntryId] = Hold.Open(row, Amount, Currency, Merchant, Mcc, ExpiresAt!.Value, OverCapturePercent);
    }

    /// <summary>The authorization as the API answers it right after this row, declined or not.</summary>
    public AuthorizationRecord ToRecord(LedgerEntry row) => new(
        row.EntryId, row.AccountId, Amount, Currency, Merchant, Mcc,
        Approved ? AuthorizationStatus.Pending : AuthorizationStatus.Declined, DeclineReason, Approved ? Amount : 0, 0, 0,
        row.AvailableAfter, ExpiresAt, row.CreatedAt, row.DecidedBy);
}
