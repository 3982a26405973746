using System.Data.Common;
using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Concurrency;
using Orleans.Serialization;
using Orleans.Storage;
using Payments.Contracts;
using Payments.Ledger;
using Payments.Regions;

namespace Payments.Accounts;

/// <summary>
/// One account, with a group commit of its own. Orleans runs the grain's code on one thread at a time, so there is
/// no lock; requests interleave only while one awaits the database. Payments that arrive while the account's last
/// group is being made durable wait; when its turn comes, the next group is decided in arrival order, each on the
/// state the previous ones leave, and appended to the ledger all together or not at all. Decisions are applied to
/// memory only once durable, so memory is always a prefix of the ledger; a row whose seq is taken means another
/// activation (another region) moved on, and this one catches up from the ledger before deciding again.
/// </summary>
/// <remarks>
/// Every step that reads or writes the ledger takes its turn in <see cref="_lane"/>, so a catch-up never races a
/// commit. A hot account thus commits once per ledger round trip, whatever its number of terminals. A snapshot is
/// written from a copy of the state, outside the lane: payments never wait for it.
/// </remarks>
[Reentrant]
public sealed class AccountGrain(
    [PersistentState("account", PaymentsSilo.AccountStorage)] IPersistentState<AccountState> snapshot,
    ILedgerStore ledger,
    LedgerWriter writer,
    IRegionRulesProvider regions,
    SiloRegion silo,
    TimeProvider time,
    IOptions<SnapshotOptions> snapshotOptions,
    DeepCopier<AccountState> copier,
    AccountMetrics metrics,
    ILogger<AccountGrain> logger) : Grain, IAccountGrain, IRemindable
{
    private const string SnapshotReminder = "snapshot";

    private const int MaxConflictRetries = 3;

    // One group stays well under the ledger writer's batch and within what _recent remembers.
    private const int MaxGroup = 128;
    private readonly RecentEntries _recent = new(256);
    private readonly AsyncLane _lane = new();
    private readonly Queue<PendingRecord> _waiting = new();
    private readonly Dictionary<string, PendingRecord> _waitingByKey = new(StringComparer.Ordinal);
    private long _snapshotSeq;
    private bool _snapshotting;
    private bool _reminderActive;

    /// <summary>When the snapshot reminder was last registered or ticked.</summary>
    private DateTimeOffset _reminderSeenAt;

    /// <summary>The live state; <c>snapshot.State</c> holds the copy last handed to storage.</summary>
    private AccountState State { get; set; } = null!;

    private string AccountId => this.GetPrimaryKeyString();

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        // Only a silo's first activations wait here, until its cache has read every region's rules once.
        await regions.Ready.WaitAsync(cancellationToken);
        State = snapshot.State;
        _snapshotSeq = State.LastSeq;
        var replayed = await ReadLedgerAsync(() => CatchUpAsync(cancellationToken));
        logger.LogDebug(
            "Account {AccountId} activated from snapshot seq {SnapshotSeq} and {Replayed} ledger rows after it",
            AccountId, _snapshotSeq, replayed);
        metrics.AccountActivated();
    }

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        metrics.AccountDeactivated();
        if (State.LastSeq > _snapshotSeq)
        {
            await SaveSnapshotAsync();
        }
    }

    public Task<OpenAccountResult> OpenAsync(OpenAccountRequest request) => _lane.RunAsync(() => OpenInTurnAsync(request));

    public async Task<AccountView?> GetViewAsync()
    {
        // Another region may have written to this account since (a failover, a split brain): a read first takes in
        // the rows it missed, so what it shows is the ledger as of now. Usually none: one indexed lookup.
        await _lane.RunAsync(() => ReadLedgerAsync(() => CatchUpAsync(CancellationToken.None)));
        if (!State.Exists)
        {
            DeactivateOnIdle();
            return null;
        }

        return View();
    }

    private async Task<OpenAccountResult> OpenInTurnAsync(OpenAccountRequest request)
    {
        if (State.Exists)
        {
            return new(OpenOutcome.AlreadyExists, null, null);
        }

        if (regions.Find(request.Region) is not { } rules)
        {
            return new(OpenOutcome.UnknownRegion, null, null);
        }

        if (AccountValidation.ForOpen(rules, request) is { } errors)
        {
            return new(OpenOutcome.Invalid, null, errors);
        }

        var open = AccountDecisions.Open(AccountId, rules, Now(), silo.Name, request);
        try
        {
            if (!await ledger.OpenAccountAsync(open, CancellationToken.None))
            {
                await CatchUpAsync(CancellationToken.None);
                return new(OpenOutcome.AlreadyExists, null, null);
            }
        }
        catch (Exception ex)
        {
            GiveUpActivation(ex);
            return new(OpenOutcome.Unavailable, null, null);
        }

        State.Apply(open);
        await SaveSnapshotAsync();
        return new(OpenOutcome.Created, View(), null);
    }

    public async Task<PaymentResult> PayAsync(PaymentRequest request)
    {
        var started = Stopwatch.GetTimestamp();
        if (!State.Exists)
        {
            DeactivateOnIdle();
            return new(RecordOutcome.NotFound, null, null);
        }

        var rules = RulesOfAccount();
        if (AccountValidation.ForPayment(rules, request) is { } errors)
        {
            return new(RecordOutcome.Invalid, null, errors);
        }

        var (outcome, entry) = await RecordAsync(request.IdempotencyKey, RequestFingerprint.Of(request),
            (account, stamp) => AccountDecisions.Pay(account, rules, stamp, request));
        metrics.RecordPayment(outcome, entry, Stopwatch.GetElapsedTime(started));
        return new(outcome, entry?.Kind == EntryKind.Payment ? entry.ToPayment() : null, null);
    }

    public async Task<DepositResult> DepositAsync(DepositRequest request)
    {
        if (!State.Exists)
        {
            DeactivateOnIdle();
            return new(RecordOutcome.NotFound, null, null);
        }

        if (AccountValidation.ForDeposit(State, request) is { } errors)
        {
            return new(RecordOutcome.Invalid, null, errors);
        }

        var rules = RulesOfAccount();
        var (outcome, entry) = await RecordAsync(request.IdempotencyKey, RequestFingerprint.Of(request),
            (account, stamp) => AccountDecisions.Deposit(account, rules, stamp, request));
        return new(outcome, entry?.Kind == EntryKind.Deposit ? entry.ToDeposit() : null, null);
    }

    public async Task<UpdateAccountResult> UpdateAsync(AccountUpdate update)
    {
        if (!State.Exists)
        {
            DeactivateOnIdle();
            return new(UpdateOutcome.NotFound, null, null);
        }

        if (AccountValidation.ForUpdate(update) is { } errors)
        {
            return new(UpdateOutcome.Invalid, null, errors);
        }

        var rules = RulesOfAccount();
        var (outcome, _) = await RecordAsync(null, RequestFingerprint.Of(update),
            (account, stamp) => AccountDecisions.Update(account, rules, stamp, update));
        return outcome == RecordOutcome.Created
            ? new(UpdateOutcome.Updated, View(), null)
            : new(UpdateOutcome.Unavailable, null, null);
    }

    public async Task<PaymentPage?> ListPaymentsAsync(int limit, long? beforeSeq)
    {
        if (!State.Exists)
        {
            DeactivateOnIdle();
            return null;
        }

        var rows = await ReadLedgerAsync(() => ledger.PageAsync(AccountId, EntryKind.Payment, beforeSeq, limit + 1, CancellationToken.None));
        var items = rows.Take(limit).ToList();
        return new(items.ConvertAll(e => e.ToPayment()), rows.Count > limit ? items[^1].Seq : null);
    }

    public async Task<PaymentRecord?> GetPaymentAsync(string paymentId)
    {
        if (!State.Exists)
        {
            DeactivateOnIdle();
            return null;
        }

        var entry = _recent.TryGet(paymentId, out var recent)
            ? recent
            : await ReadLedgerAsync(() => ledger.FindAsync(AccountId, paymentId, CancellationToken.None));
        return entry?.Kind == EntryKind.Payment ? entry.ToPayment() : null;
    }

    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        _reminderSeenAt = time.GetUtcNow();
        if (State.LastSeq > _snapshotSeq)
        {
            await SaveSnapshotAsync();
            return;
        }

        // Nothing left to save: stop ticking until the next change.
        if (await this.GetReminder(reminderName) is { } reminder)
        {
            await this.UnregisterReminder(reminder);
        }

        _reminderActive = false;
    }

    /// <summary>
    /// Queues a request for the account's next group commit and answers once its row is durable. A retry of an
    /// earlier request replays the stored row instead; a retry that arrives while its first is still waiting shares
    /// the first one's answer.
    /// </summary>
    private async Task<(RecordOutcome Outcome, LedgerEntry? Entry)> RecordAsync(
        string? idempotencyKey, string fingerprint, DecideEntry decide)
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
    /// there are replays; the others are decided again on the caught-up state.
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
                logger.LogWarning("Account {AccountId}: seq still contended after {Retries} catch-ups", AccountId, MaxConflictRetries);
                Answer(group, (RecordOutcome.Unavailable, null));
                return;
            }

            var entries = DecideGroup(group);
            if (entries.Count == 0)
            {
                return;
            }

            try
            {
                if (await writer.AppendAsync(entries))
                {
                    foreach (var entry in entries)
                    {
                        State.Apply(entry);
                        _recent.Add(entry);
                    }

                    metrics.RecordGroup(entries.Count);
                    for (var i = 0; i < group.Count; i++)
                    {
                        Answer(group[i], (RecordOutcome.Created, entries[i]));
                    }

                    await EnsureSnapshotReminderAsync();
                    return;
                }

                // A seq or an entry id is taken: another activation wrote to this account, or a key is a retry of
                // a request older than this activation's memory.
                foreach (var keyed in group.Where(p => p.IdempotencyKey is not null).ToList())
                {
                    if (await ledger.FindAsync(AccountId, keyed.IdempotencyKey!, CancellationToken.None) is { } existing)
                    {
                        Answer(keyed, Replay(existing, keyed.Fingerprint));
                        group.Remove(keyed);
                    }
                }

                await CatchUpAsync(CancellationToken.None);
            }
            catch (Exception ex)
            {
                GiveUpActivation(ex);
                Answer(group, (RecordOutcome.Unavailable, null));
                return;
            }
        }
    }

    /// <summary>The group's rows, each decided on the state the ones before it leave; a request whose decision throws answers alone.</summary>
    private List<LedgerEntry> DecideGroup(List<PendingRecord> group)
    {
        var draft = copier.Copy(State);
        var entries = new List<LedgerEntry>(group.Count);
        foreach (var pending in group.ToList())
        {
            try
            {
                var entry = pending.Decide(draft, new RowStamp(AccountId, pending.EntryId, pending.Fingerprint, Now(), silo.Name));
                draft.Apply(entry);
                entries.Add(entry);
            }
            catch (Exception ex)
            {
                Forget(pending);
                pending.Completion.TrySetException(ex);
                group.Remove(pending);
            }
        }

        return entries;
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

    /// <summary>Applies the ledger rows this activation has not seen yet; returns how many.</summary>
    private async Task<int> CatchUpAsync(CancellationToken cancellationToken)
    {
        var rows = await ledger.ReadAfterAsync(AccountId, State.LastSeq, cancellationToken);
        foreach (var entry in rows)
        {
            State.Apply(entry);
            _recent.Add(entry);
        }

        return rows.Count;
    }

    /// <summary>
    /// A ledger read that the store cannot answer becomes the contract's <see cref="AccountUnavailableException"/>
    /// (the API answers 503), rather than a database exception that the caller may not even be able to deserialize.
    /// </summary>
    private async Task<T> ReadLedgerAsync<T>(Func<Task<T>> read)
    {
        try
        {
            return await read();
        }
        catch (DbException ex)
        {
            logger.LogWarning(ex, "Account {AccountId}: ledger unreadable", AccountId);
            throw new AccountUnavailableException($"Account {AccountId} cannot be read from the ledger now.");
        }
    }

    /// <summary>
    /// Memory may now disagree with the ledger (a commit whose outcome is unknown): drop this activation so the next
    /// request rebuilds it from the snapshot and the ledger.
    /// </summary>
    private void GiveUpActivation(Exception ex)
    {
        logger.LogWarning(ex, "Account {AccountId}: ledger unavailable, deactivating", AccountId);
        DeactivateOnIdle();
    }

    private async Task EnsureSnapshotReminderAsync()
    {
        // A reminder that has not ticked for two periods is lost: Redis replicates asynchronously, so a replica that
        // Sentinel promoted may lack its registration. It is registered again; the ledger never depended on it.
        var period = snapshotOptions.Value.Period;
        if (_reminderActive && time.GetUtcNow() - _reminderSeenAt < 2 * period)
        {
            return;
        }

        try
        {
            // The first tick somewhere in the next one and a half periods: accounts activated together (a silo
            // start, a failover) must not all write their snapshots in the same second a period later.
            await this.RegisterOrUpdateReminder(SnapshotReminder, period * (0.5 + Random.Shared.NextDouble()), period);
            _reminderActive = true;
            _reminderSeenAt = time.GetUtcNow();
        }
        catch (Exception ex)
        {
            // The decision is durable in the ledger already; only the snapshot waits (for deactivation at worst).
            logger.LogWarning(ex, "Account {AccountId}: snapshot reminder not registered", AccountId);
        }
    }

    private async Task SaveSnapshotAsync()
    {
        if (_snapshotting)
        {
            return;
        }

        // A copy: payments go on changing the live state while storage serializes and writes this one.
        _snapshotting = true;
        snapshot.State = copier.Copy(State);
        try
        {
            await snapshot.WriteStateAsync();
            _snapshotSeq = snapshot.State.LastSeq;
        }
        catch (InconsistentStateException ex)
        {
            // Another activation wrote a snapshot meanwhile: start again from storage and the ledger.
            logger.LogInformation(ex, "Account {AccountId}: snapshot written elsewhere, reloading", AccountId);
            DeactivateOnIdle();
        }
        catch (Exception ex)
        {
            logger.LogWarning(ex, "Account {AccountId}: snapshot not written; the ledger still holds every change", AccountId);
        }
        finally
        {
            _snapshotting = false;
        }
    }

    /// <summary>The time, at the ledger's precision (PostgreSQL keeps microseconds), so a replay equals the first answer.</summary>
    private DateTimeOffset Now()
    {
        var now = time.GetUtcNow();
        return now.AddTicks(-(now.Ticks % TimeSpan.TicksPerMicrosecond));
    }

    private RegionRules RulesOfAccount() =>
        regions.Find(State.Region) ?? throw new InvalidOperationException($"Region {State.Region} has no rules.");

    private AccountView View()
    {
        var rules = RulesOfAccount();
        var calendar = BusinessCalendar.For(rules);
        var today = calendar.BusinessDate(Now());
        var limits = rules.Effective(State.Limits);
        return new AccountView(
            AccountId, State.Region, State.Currency, State.Status, State.Balance, State.LastSeq,
            new LimitsView(
                limits.PerPayment,
                Period(limits.Daily, State.Daily, calendar.Day(today)),
                Period(limits.Weekly, State.Weekly, calendar.Week(today)),
                Period(limits.Monthly, State.Monthly, calendar.Month(today))));
    }

    private static PeriodView Period(long limit, SpendingCounter counter, PeriodBounds bounds) =>
        new(limit, counter.SpentIn(bounds.Key), bounds.Start, bounds.End);
}
