using Microsoft.Extensions.Logging;
using Payments.Contracts;
using Payments.Ledger;

namespace Payments.Accounts;

/// <summary>
/// An account's own group commit, free of Orleans. Requests that arrive while the account's last group is being made
/// durable wait; when their turn comes, the next group is decided in arrival order, each on the state the previous
/// ones leave, and appended all together or not at all. Rows are applied to the live state only once durable, so
/// memory is always a prefix of the ledger; a row whose seq is taken means another activation (another region) moved
/// on, and the group is decided again on the caught-up state.
/// </summary>
/// <remarks>
/// Every step that reads or writes the ledger takes its turn in one <see cref="AsyncLane"/>, so a catch-up never
/// races a commit. At most <c>maxWaiting</c> requests wait for a turn: past that a request is answered
/// <see cref="RecordOutcome.Overloaded"/> at once instead of queueing past its caller's deadline.
/// </remarks>
internal sealed class GroupCommit(IAccountJournal journal, int maxWaiting, ILogger logger)
{
    /// <summary>One group stays well under the ledger writer's batch and within what <see cref="_recent"/> remembers.</summary>
    public const int MaxGroup = 128;
    private const int MaxConflictRetries = 3;

    private readonly RecentEntries _recent = new(256);
    private readonly AsyncLane _lane = new();
    private readonly Queue<PendingRecord> _waiting = new();
    private readonly Dictionary<string, PendingRecord> _waitingByKey = new(StringComparer.Ordinal);

    /// <summary>A row this activation wrote or read lately, by entry id.</summary>
    public bool TryGetRecent(string entryId, out LedgerEntry entry) => _recent.TryGet(entryId, out entry);

    /// <summary>Runs a ledger step in the account's turn (an open, a read that must see the ledger as of now).</summary>
    public Task<T> InTurnAsync<T>(Func<Task<T>> step) => _lane.RunAsync(step);

    /// <summary>Applies the ledger rows the live state has not seen yet; returns how many. Call it in a turn.</summary>
    public async Task<int> CatchUpAsync()
    {
        var rows = await journal.ReadAfterAsync(journal.State.LastSeq);
        Apply(rows);
        return rows.Count;
    }

    /// <summary>Applies a row that is durable already (an account's open row, appended by its own statement).</summary>
    public void Apply(IReadOnlyList<LedgerEntry> rows)
    {
        foreach (var entry in rows)
        {
            journal.State.Apply(entry);
            _recent.Add(entry);
        }
    }

    /// <summary>
    /// Queues a request for the account's next group commit and answers once its row is durable. A retry of an
    /// earlier request replays the stored row instead; a retry that arrives while its first is still waiting shares
    /// the first one's answer.
    /// </summary>
    public async Task<(RecordOutcome Outcome, LedgerEntry? Entry)> RecordAsync(string? idempotencyKey, string fingerprint, DecideEntry decide)
    {
        if (idempotencyKey is not null)
        {
            if (_recent.TryGet(idempotencyKey, out var seen))
            {
                return Replay(seen, fingerprint);
            }

            if (_waitingByKey.TryGetValue(idempotencyKey, out var first))
            {
                // Once the first is answered its row is in _recent, or its key is free again: start over.
                await first.Completion.Task;
                return await RecordAsync(idempotencyKey, fingerprint, decide);
            }
        }

        if (_waiting.Count >= maxWaiting)
        {
            return (RecordOutcome.Overloaded, null);
        }

        var pending = new PendingRecord(idempotencyKey, fingerprint, decide);
        _waiting.Enqueue(pending);
        if (idempotencyKey is not null)
        {
            _waitingByKey.Add(idempotencyKey, pending);
        }

        // Requests that queued behind an earlier turn are usually in its group already: their own turn is then empty.
        await _lane.RunAsync(() => pending.IsAnswered ? Task.CompletedTask : CommitWaitingAsync());
        return await pending.Completion.Task;
    }

    /// <summary>
    /// Decides what is waiting, in arrival order, on a copy of the state, makes it durable as one append, and only
    /// then applies it and answers. When the append is refused, the ledger settles it: rows whose key is already
    /// there are replays (found with one query); the others are decided again on the caught-up state.
    /// </summary>
    private async Task CommitWaitingAsync()
    {
        var group = new List<PendingRecord>();
        while (group.Count < MaxGroup && _waiting.TryDequeue(out var next))
        {
            group.Add(next);
        }

        for (var attempt = 0; group.Count > 0; attempt++)
        {
            if (attempt > MaxConflictRetries)
            {
                logger.LogWarning("Account {AccountId}: seq still contended after {Retries} catch-ups", journal.AccountId, MaxConflictRetries);
                Answer(group, (RecordOutcome.Unavailable, null));
                return;
            }

            try
            {
                var (entries, verdicts) = DecideGroup(group);
                if (entries.Count == 0 || await journal.AppendAsync(entries))
                {
                    Apply(entries);
                    await AnswerAsync(group, verdicts);
                    if (entries.Count > 0)
                    {
                        await journal.CommittedAsync(entries);
                    }

                    return;
                }

                // A seq or an entry id is taken: another activation wrote to this account, or a key is a retry of
                // a request older than this activation's memory.
                var keys = group.Where(p => p.IdempotencyKey is not null).Select(p => p.IdempotencyKey!).ToList();
                if (keys.Count > 0)
                {
                    var existing = (await journal.FindAsync(keys)).ToDictionary(e => e.EntryId, StringComparer.Ordinal);
                    foreach (var keyed in group.Where(p => p.IdempotencyKey is not null && existing.ContainsKey(p.IdempotencyKey)).ToList())
                    {
                        Answer(keyed, Replay(existing[keyed.IdempotencyKey!], keyed.Fingerprint));
                        group.Remove(keyed);
                    }
                }

                await CatchUpAsync();
            }
            catch (LedgerOverloadedException)
            {
                // Refused before anything was written: memory still matches the ledger, and the account stays.
                Answer(group, (RecordOutcome.Overloaded, null));
                return;
            }
            catch (Exception ex)
            {
                journal.GiveUp(ex);
                Answer(group, (RecordOutcome.Unavailable, null));
                return;
            }
        }
    }

    /// <summary>
    /// The group's rows: first the releases of holds that fell due, then each request decided on the state the rows
    /// before it leave. A request whose decision throws answers alone and leaves the group.
    /// </summary>
    private (List<LedgerEntry> Entries, List<Verdict> Verdicts) DecideGroup(List<PendingRecord> group)
    {
        var draft = journal.Copy(journal.State);
        var entries = new List<LedgerEntry>(group.Count);
        while (journal.NextDue(draft) is { } due)
        {
            draft.Apply(due);
            entries.Add(due);
        }

        var verdicts = new List<Verdict>(group.Count);
        foreach (var pending in group.ToList())
        {
            try
            {
                var verdict = pending.Decide(draft, journal.Stamp(pending.EntryId, pending.Fingerprint));
                if (verdict.Entry is { } entry)
                {
                    draft.Apply(entry);
                    entries.Add(entry);
                }

                verdicts.Add(verdict);
            }
            catch (Exception ex)
            {
                Forget(pending);
                pending.Completion.TrySetException(ex);
                group.Remove(pending);
            }
        }

        return (entries, verdicts);
    }

    /// <summary>
    /// Answers a durable group. A keyed request refused on this state may be the retry of one that succeeded before
    /// (its capture closed the authorization): the ledger is asked once for those keys, and a stored row is replayed.
    /// </summary>
    private async Task AnswerAsync(List<PendingRecord> group, List<Verdict> verdicts)
    {
        var refusedKeys = group.Where((p, i) => verdicts[i].Entry is null && p.IdempotencyKey is not null)
            .Select(p => p.IdempotencyKey!).ToList();
        var stored = refusedKeys.Count == 0
            ? new Dictionary<string, LedgerEntry>(StringComparer.Ordinal)
            : (await journal.FindAsync(refusedKeys)).ToDictionary(e => e.EntryId, StringComparer.Ordinal);
        for (var i = 0; i < group.Count; i++)
        {
            var (entry, outcome) = verdicts[i];
            Answer(group[i], entry is null && group[i].IdempotencyKey is { } key && stored.TryGetValue(key, out var earlier)
                ? Replay(earlier, group[i].Fingerprint)
                : (outcome, entry));
        }
    }

    private void Answer(List<PendingRecord> group, (RecordOutcome, LedgerEntry?) answer)
    {
        foreach (var pending in group)
        {
            Answer(pending, answer);
        }
    }

    private void Answer(PendingRecord pending, (RecordOutcome, LedgerEntry?) answer)
    {
        Forget(pending);
        pending.Completion.TrySetResult(answer);
    }

    private void Forget(PendingRecord pending)
    {
        if (pending.IdempotencyKey is not null)
        {
            _waitingByKey.Remove(pending.IdempotencyKey);
        }
    }

    private static (RecordOutcome, LedgerEntry?) Replay(LedgerEntry stored, string fingerprint) =>
        string.Equals(stored.RequestHash, fingerprint, StringComparison.Ordinal)
            ? (RecordOutcome.Replayed, stored)
            : (RecordOutcome.KeyReused, null);
}
