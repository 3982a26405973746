namespace Payments.LoadGen.Checks;

/// <summary>
/// One ledger row as the invariant checks read it, the same for both systems (<see cref="LedgerDialect"/> says where each
/// keeps it). The hold fields are set only on the rows they belong to.
/// </summary>
/// <param name="Kind">The ledger's kind: open, settings, payment, deposit, authorization, increment, capture, reversal, expiry, refund, advice.</param>
/// <param name="Approved">Status approved (payments, authorizations, increments; the other kinds are always approved).</param>
/// <param name="AvailableAfter">Balance less what holds held after the row (the baseline has no holds: its balance).</param>
/// <param name="ExpiresAt">On an approved authorization or increment and an authorization advice: when the hold expires.</param>
/// <param name="FromHold">On a capture: the part of it the hold paid for.</param>
/// <param name="Released">On a capture: what a final capture gave back.</param>
/// <param name="Final">On a capture: the last one, which released what was still held.</param>
/// <param name="Forced">On a capture: the network's, posted whatever the cap.</param>
/// <param name="OverCapturePercent">On an authorization or an authorization advice: the region's tolerance it was made under.</param>
/// <param name="AdvisedHold">On an advice: true for an authorization advice, false for a payment advice.</param>
/// <param name="DecidedOn">On an advice: the business day of the network's decision, whose periods it counts in.</param>
/// <param name="Limits">On an open or settings row: the account's ceilings from then on (null: the region's, not checked).</param>
public sealed record LedgerRow(
    string AccountId,
    long Seq,
    string Kind,
    string EntryId,
    long Amount,
    bool Approved,
    long BalanceAfter,
    long AvailableAfter,
    DateOnly BusinessDate,
    string? AuthorizationId = null,
    DateTimeOffset? ExpiresAt = null,
    long FromHold = 0,
    long Released = 0,
    bool Final = false,
    bool Forced = false,
    int OverCapturePercent = 0,
    bool? AdvisedHold = null,
    DateOnly? DecidedOn = null,
    Ceilings? Limits = null);

/// <summary>An account's period ceilings; a null one is the region's and is not checked.</summary>
public sealed record Ceilings(long? Daily, long? Weekly, long? Monthly);
