using System.Text.Json.Serialization;
using Payments.Accounts;
using Payments.Contracts;

namespace Payments.Ledger.Changes;

/// <summary>
/// A capture of an authorization: <see cref="FromHold"/> of it posts what was held; the rest was beyond the hold and
/// counts as new money in the capture's periods (<see cref="OverLimits"/> names the ceilings it overran). A final
/// capture also releases <see cref="Released"/>, what was still held. A <see cref="Forced"/> capture was the network's,
/// posted whatever the cap.
/// </summary>
public sealed record CaptureMade(
    [property: JsonPropertyName("authorizationId")] string AuthorizationId,
    [property: JsonPropertyName("amount")] long Amount,
    [property: JsonPropertyName("currency")] string Currency,
    [property: JsonPropertyName("final")] bool Final,
    [property: JsonPropertyName("fromHold")] long FromHold,
    [property: JsonPropertyName("released")] long Released,
    [property: JsonPropertyName("heldAfter")] long HeldAfter,
    [property: JsonPropertyName("overLimits")] IReadOnlyList<string> OverLimits,
    [property: JsonPropertyName("forced")] bool Forced = false) : LedgerChange(EntryKind.Capture), IHoldFollowUp<CaptureRecord>
{
    public bool ExceedsHold => Amount > FromHold;

    public override long BalanceEffect() => -Amount;

    public override long HeldEffect() => -checked(FromHold + Released);

    public override LedgerColumns Columns(LedgerEntry row) =>
        new(Amount, Currency, AuthorizationId: AuthorizationId, HoldClosed: HeldAfter == 0);

    public override void Apply(AccountState account, LedgerEntry row)
    {
        var hold = account.Holds[AuthorizationId];
        hold.Consume(FromHold);
        account.Spend(row.BusinessDate, Amount - FromHold);
        hold.Release(Released, account.Unspend);
        hold.Captured = checked(hold.Captured + Amount);
        hold.Released = checked(hold.Released + Released);
        hold.Final |= Final;
    }

    /// <summary>The capture as the API answers it, with its authorization as of the answer.</summary>
    public CaptureRecord ToRecord(LedgerEntry row, AuthorizationRecord authorization) =>
        new(row.EntryId, AuthorizationId, Amount, row.BalanceAfter, row.CreatedAt, row.DecidedBy, ExceedsHold, OverLimits, authorization,
            Forced);

    public bool Equals(CaptureMade? other) =>
        other is not null && (AuthorizationId, Amount, Currency, Final, FromHold, Released, HeldAfter, Forced) ==
        (other.AuthorizationId, other.Amount, other.Currency, other.Final, other.FromHold, other.Released, other.HeldAfter, other.Forced)
        && OverLimits.SequenceEqual(other.OverLimits);

    public override int GetHashCode() => HashCode.Combine(AuthorizationId, Amount, Final, FromHold, Released);
}
