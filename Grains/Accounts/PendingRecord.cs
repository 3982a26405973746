using Payments.Contracts;
using Payments.Ledger;

namespace Payments.Accounts;

/// <summary>
/// Decides a request's ledger row, given the account as it will be when the row applies and the row's stamp (id,
/// request fingerprint, time, deciding region).
/// </summary>
internal delegate Verdict DecideEntry(AccountState account, RowStamp stamp);

/// <summary>
/// What deciding a request gave: its row, or no row and the outcome to answer once the rows decided before it in the
/// same group are durable (a refusal such as "not pending", which those rows may have caused).
/// </summary>
public readonly record struct Verdict(LedgerEntry? Entry, RecordOutcome Outcome)
{
    public static Verdict Refused(RecordOutcome outcome) => new(null, outcome);

    public static implicit operator Verdict(LedgerEntry entry) => new(entry, RecordOutcome.Created);
}

/// <summary>A payment, deposit or settings change that waits for its account's next group commit.</summary>
internal sealed class PendingRecord(string? idempotencyKey, string fingerprint, DecideEntry decide)
{
    public string? IdempotencyKey { get; } = idempotencyKey;

    public string Fingerprint { get; } = fingerprint;

    public DecideEntry Decide { get; } = decide;

    /// <summary>The Idempotency-Key, or a fresh id: a retry of the same key must land on the same row.</summary>
    public string EntryId { get; } = idempotencyKey ?? Guid.NewGuid().ToString("N");

    public TaskCompletionSource<(RecordOutcome Outcome, LedgerEntry? Entry)> Completion { get; } =
        new(TaskCreationOptions.RunContinuationsAsynchronously);

    public bool IsAnswered => Completion.Task.IsCompleted;
}
