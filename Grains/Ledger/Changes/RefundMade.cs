using System.Text.Json.Serialization;
using Payments.Accounts;
using Payments.Contracts;

namespace Payments.Ledger.Changes;

/// <summary>
/// Money a merchant gave back: credited, with no ceiling room given back. <see cref="PaymentId"/>, when set, is the
/// payment or capture it refunds; the account keeps what was refunded of each, so refunds never total more than it.
/// </summary>
public sealed record RefundMade(
    [property: JsonPropertyName("amount")] long Amount,
    [property: JsonPropertyName("currency")] string Currency,
    [property: JsonPropertyName("merchant")] string Merchant,
    [property: JsonPropertyName("mcc")] string Mcc,
    [property: JsonPropertyName("paymentId")] string? PaymentId) : LedgerChange(EntryKind.Refund)
{
    public override long BalanceEffect() => Amount;

    public override LedgerColumns Columns(LedgerEntry row) => new(Amount, Currency, Merchant, Mcc, RefundOf: PaymentId);

    public override void Apply(AccountState account, LedgerEntry row)
    {
        if (PaymentId is { } paymentId)
        {
            account.Refunded[paymentId] = checked(account.RefundedOf(paymentId) + Amount);
        }
    }

    /// <summary>The refund as the API answers it.</summary>
    public RefundRecord ToRecord(LedgerEntry row) =>
        new(row.EntryId, row.AccountId, Amount, Currency, Merchant, Mcc, PaymentId, row.BalanceAfter, row.CreatedAt, row.DecidedBy);
}
