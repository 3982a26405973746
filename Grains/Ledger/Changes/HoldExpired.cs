using System.Text.Json.Serialization;
using Payments.Accounts;

namespace Payments.Ledger.Changes;

/// <summary>
/// What an authorization still held at <see cref="ExpiredAt"/>, released by time. Its entry id is fixed per
/// authorization, so no two activations can both record it: a hold is released once.
/// </summary>
public sealed record HoldExpired(
    [property: JsonPropertyName("authorizationId")] string AuthorizationId,
    [property: JsonPropertyName("amount")] long Amount,
    [property: JsonPropertyName("currency")] string Currency,
    [property: JsonPropertyName("expiredAt")] DateTimeOffset ExpiredAt) : LedgerChange(EntryKind.Expiry), IHoldChange
{
    /// <summary>Outside the Idempotency-Key alphabet (printable ASCII): no client key can take it.</summary>
    public static string EntryIdOf(string authorizationId) => $"§expiry:{authorizationId}";

    public override long HeldEffect() => -Amount;

    public override LedgerColumns Columns(LedgerEntry row) =>
        new(Amount, Currency, AuthorizationId: AuthorizationId, HoldClosed: true);

    public override void Apply(AccountState account, LedgerEntry row)
    {
        var hold = account.Holds[AuthorizationId];
        hold.Release(Amount, account.Unspend);
        hold.Released = checked(hold.Released + Amount);
        hold.ReleasedByTime = true;
    }
}
