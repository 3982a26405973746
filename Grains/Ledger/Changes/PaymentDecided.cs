using System.Text.Json.Serialization;
using Payments.Accounts;
using Payments.Contracts;

namespace Payments.Ledger.Changes;

/// <summary>A single-message card payment, approved (debited and counted in its periods) or declined (recorded for replay).</summary>
public sealed record PaymentDecided(
    [property: JsonPropertyName("amount")] long Amount,
    [property: JsonPropertyName("currency")] string Currency,
    [property: JsonPropertyName("merchant")] string Merchant,
    [property: JsonPropertyName("mcc")] string Mcc,
    [property: JsonPropertyName("status")] PaymentStatus Status,
    [property: JsonPropertyName("declineReason")] DeclineReason? DeclineReason) : LedgerChange(EntryKind.Payment)
{
    private bool Approved => Status == PaymentStatus.Approved;

    public override long BalanceEffect() => Approved ? -Amount : 0;

    public override LedgerColumns Columns(LedgerEntry row) => new(Amount, Currency, Merchant, Mcc, null, Status, DeclineReason);

    public override void Apply(AccountState account, LedgerEntry row)
    {
        if (Approved)
        {
            account.Spend(row.BusinessDate, Amount);
        }
    }
}
