using System.Text.Json.Serialization;
using Payments.Accounts;
using Payments.Accounts.Holds;
using Payments.Contracts;

namespace Payments.Ledger.Changes;

/// <summary>
/// What the network decided on the bank's behalf, recorded as it is: a payment (posted) or an authorization (a hold from
/// <see cref="DecidedAt"/> until <see cref="ExpiresAt"/>). The row's business day is that of <see cref="DecidedAt"/>,
/// and it counts in those periods while they are current. The entry id is the network's reference.
/// </summary>
public sealed record AdviceRecorded(
    [property: JsonPropertyName("adviceKind")] AdviceKind AdviceKind,
    [property: JsonPropertyName("amount")] long Amount,
    [property: JsonPropertyName("currency")] string Currency,
    [property: JsonPropertyName("merchant")] string Merchant,
    [property: JsonPropertyName("mcc")] string Mcc,
    [property: JsonPropertyName("decidedAt")] DateTimeOffset DecidedAt,
    [property: JsonPropertyName("overLimits")] IReadOnlyList<string> OverLimits,
    [property: JsonPropertyName("expiresAt")] DateTimeOffset? ExpiresAt,
    [property: JsonPropertyName("overCapturePercent")] int OverCapturePercent) : LedgerChange(EntryKind.Advice)
{
    public bool IsAuthorization => AdviceKind == AdviceKind.Authorization;

    public override long BalanceEffect() => IsAuthorization ? 0 : -Amount;

    public override long HeldEffect() => IsAuthorization ? Amount : 0;

    public override LedgerColumns Columns(LedgerEntry row) =>
        new(Amount, Currency, Merchant, Mcc, Reference: row.EntryId, AuthorizationId: IsAuthorization ? row.EntryId : null,
            ExpiresAt: ExpiresAt);

    public override void Apply(AccountState account, LedgerEntry row)
    {
        account.SpendAdvised(row.BusinessDate, Amount);
        if (IsAuthorization)
        {
            account.Holds[row.EntryId] = Hold.Open(
                row, Amount, Currency, Merchant, Mcc, ExpiresAt!.Value, OverCapturePercent, Details(row));
        }
    }

    public AdviceDetails Details(LedgerEntry row) => new(DecidedAt, row.EntryId, OverLimits);

    public bool Equals(AdviceRecorded? other) =>
        other is not null && (AdviceKind, Amount, Currency, Merchant, Mcc, DecidedAt, ExpiresAt, OverCapturePercent) ==
        (other.AdviceKind, other.Amount, other.Currency, other.Merchant, other.Mcc, other.DecidedAt, other.ExpiresAt, other.OverCapturePercent)
        && OverLimits.SequenceEqual(other.OverLimits);

    public override int GetHashCode() => HashCode.Combine(AdviceKind, Amount, Currency, DecidedAt);
}
