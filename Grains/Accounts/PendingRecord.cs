using Payments.Contracts;
using Payments.Ledger;

namespace Payments.Accounts;

/// <summary>
/// Decides a request's ledger row, given the account as it will be when the row applies and the row's stamp (id,
/// request fingerprint, time, deciding region).
/// </summary>
internal delegate LedgerEntry DecideEntry(AccountState account, RowStamp stamp);

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
