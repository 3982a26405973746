using System.Data.Common;
using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Concurrency;
using Orleans.Serialization;
using Orleans.Storage;
using Payments.Accounts.Holds;
using Payments.Contracts;
using Payments.Ledger;
using Payments.Ledger.Changes;
using Payments.Regions;

namespace Payments.Accounts;

/// <summary>
/// One account: what it does, request by request. Orleans runs the grain's code on one thread at a time, so there is
/// no lock; requests interleave only while one awaits the database. Every request that writes goes through the
/// account's own <see cref="GroupCommit"/> (ADR 0010), which decides it on the state the requests before it leave and
/// answers once its row is durable; the grain is the commit's <see cref="IAccountJournal"/>: its state and ledger.
/// </summary>
/// <remarks>
/// A snapshot is written from a copy of the state, outside the commit's turns: payments never wait for it. A busy
/// account writes one every <see cref="SnapshotOptions.EveryRows"/> rows; the reminder writes one once the account is
/// idle (no commit for half a period); deactivation writes the last one.
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
    ILogger<AccountGrain> logger) : Grain, IAccountGrain, IRemindable, IAccountJournal
{
    private const string SnapshotReminder = "snapshot";

    /// <summary>How many authorizations a filtered list reads at most for one page.</summary>
    private const int AuthorizationWindow = 200;

    // Four groups: past that, a request would wait several commits and likely outlive the API's deadline.
    private const int MaxWaiting = 4 * GroupCommit.MaxGroup;
    private GroupCommit _commits = null!;
    private long _snapshotSeq;
    private bool _snapshotting;
    private Task _snapshotWrite = Task.CompletedTask;
    private bool _reminderActive;

    /// <summary>When this activation last committed rows.</summary>
    private DateTimeOffset _committedAt;

    /// <summary>When the snapshot reminder was last registered or ticked.</summary>
    private DateTimeOffset _reminderSeenAt;

    /// <summary>The live state; <c>snapshot.State</c> holds the copy last handed to storage.</summary>
    private AccountState State { get; set; } = null!;

    public string AccountId => this.GetPrimaryKeyString();

    AccountState IAccountJournal.State => State;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        // Only a silo's first activations wait here, until its cache has read every region's rules once.
        await regions.Ready.WaitAsync(cancellationToken);
        State = snapshot.State;
        _snapshotSeq = State.LastSeq;
        _commits = new GroupCommit(this, MaxWaiting, logger);
        var replayed = await ReadLedgerAsync(_commits.CatchUpAsync);
        logger.LogDebug(
            "Account {AccountId} activated from snapshot seq {SnapshotSeq} and {Replayed} ledger rows after it",
            AccountId, _snapshotSeq, replayed);
        metrics.AccountActivated();
    }

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        metrics.AccountDeactivated();
        await _snapshotWrite;
        if (State.LastSeq > _snapshotSeq)
        {
            await SaveSnapshotAsync();
        }
    }

    public Task<OpenAccountResult> OpenAsync(OpenAccountRequest request) => _commits.InTurnAsync(() => OpenInTurnAsync(request));

    public async Task<AccountView?> GetViewAsync()
    {
        // Another region may have written to this account since (a failover, a split brain): a read first takes in
        // the rows it missed, so what it shows is the ledger as of now. Usually none: one indexed lookup.
        await _commits.InTurnAsync(() => ReadLedgerAsync(_commits.CatchUpAsync));
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
                await _commits.CatchUpAsync();
                return new(OpenOutcome.AlreadyExists, null, null);
            }
        }
        catch (Exception ex)
        {
            GiveUp(ex);
            return new(OpenOutcome.Unavailable, null, null);
        }

        _commits.Apply([open]);
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

        var (outcome, entry) = await _commits.RecordAsync(request.IdempotencyKey, RequestFingerprint.Of(request),
            (account, stamp) => AccountDecisions.Pay(account, rules, stamp, request));
        metrics.RecordPayment(outcome, entry, Stopwatch.GetElapsedTime(started));
        return new(outcome, entry?.Change is PaymentDecided ? entry.ToPayment() : null, null);
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
        var (outcome, entry) = await _commits.RecordAsync(request.IdempotencyKey, RequestFingerprint.Of(request),
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
        var (outcome, _) = await _commits.RecordAsync(null, RequestFingerprint.Of(update),
            (account, stamp) => AccountDecisions.Update(account, rules, stamp, update));
        return outcome == RecordOutcome.Created
            ? new(UpdateOutcome.Updated, View(), null)
            : new(UpdateOutcome.Unavailable, null, null);
    }

    public async Task<AuthorizationResult> AuthorizeAsync(AuthorizationRequest request)
    {
        if (!State.Exists)
        {
            DeactivateOnIdle();
            return new(RecordOutcome.NotFound, null, null);
        }

        var rules = RulesOfAccount();
        if (AccountValidation.ForAmount(rules, request.Amount) is { } errors)
        {
            return new(RecordOutcome.Invalid, null, errors);
        }

        var (outcome, entry) = await _commits.RecordAsync(request.IdempotencyKey, RequestFingerprint.Of(request),
            (account, stamp) => AccountDecisions.Authorize(account, rules, stamp, request));
        return new(outcome, entry?.Change is AuthorizationDecided decided ? decided.ToRecord(entry) : null, null);
    }

    public async Task<IncrementResult> IncrementAsync(IncrementRequest request)
    {
        var (outcome, increment, errors) = await RecordOnAuthorizationAsync<IncrementDecided, IncrementRecord>(request.AuthorizationId,
            request.IdempotencyKey, RequestFingerprint.Of(request), request.Amount,
            (account, rules, stamp) => AccountDecisions.Increment(account, rules, stamp, request));
        return new(outcome, increment, errors);
    }

    public async Task<CaptureResult> CaptureAsync(CaptureRequest request)
    {
        var (outcome, capture, errors) = await RecordOnAuthorizationAsync<CaptureMade, CaptureRecord>(request.AuthorizationId,
            request.IdempotencyKey, RequestFingerprint.Of(request), request.Amount,
            (account, rules, stamp) => AccountDecisions.Capture(account, rules, stamp, request));
        return new(outcome, capture, errors);
    }

    public async Task<ReversalResult> ReverseAsync(ReversalRequest request)
    {
        var (outcome, reversal, errors) = await RecordOnAuthorizationAsync<ReversalMade, ReversalRecord>(request.AuthorizationId,
            request.IdempotencyKey, RequestFingerprint.Of(request), request.Amount,
            (account, rules, stamp) => AccountDecisions.Reverse(account, rules, stamp, request));
        return new(outcome, reversal, errors);
    }

    public async Task<RefundResult> RefundAsync(RefundRequest request)
    {
        if (!State.Exists)
        {
            DeactivateOnIdle();
            return new(RecordOutcome.NotFound, null, null);
        }

        var rules = RulesOfAccount();
        if (AccountValidation.ForRefund(State, rules, request) is { } errors)
        {
            return new(RecordOutcome.Invalid, null, errors);
        }

        // What the payment or capture was never changes: it is read once, before the refund's turn; what was refunded
        // of it so far is the account's state, so concurrent refunds of one payment are decided one after the other.
        long? refundable = null;
        if (request.PaymentId is { } paymentId)
        {
            refundable = AccountDecisions.Refundable(await FindEntryAsync(paymentId));
            if (refundable is null)
            {
                return new(RecordOutcome.PaymentNotFound, null, null);
            }
        }

        var (outcome, entry) = await _commits.RecordAsync(request.IdempotencyKey, RequestFingerprint.Of(request),
            (account, stamp) => AccountDecisions.Refund(account, rules, stamp, request, refundable));
        return new(outcome, entry?.Change is RefundMade refund ? refund.ToRecord(entry) : null, null);
    }

    public async Task<AdviceResult> AdviseAsync(AdviceRequest request)
    {
        if (!State.Exists)
        {
            DeactivateOnIdle();
            return new(RecordOutcome.NotFound, null, null, null);
        }

        var rules = RulesOfAccount();
        if (AccountValidation.ForAdvice(State, rules, request, Now()) is { } errors)
        {
            return new(RecordOutcome.Invalid, null, null, errors);
        }

        // The network's reference is the row's id: a resend finds the first row and replays it.
        var (outcome, entry) = await _commits.RecordAsync(request.NetworkReference, RequestFingerprint.Of(request),
            (account, stamp) => AccountDecisions.Advise(account, rules, stamp, request));
        if (outcome == RecordOutcome.Created && State.Holds.TryGetValue(entry!.EntryId, out var hold) && hold.IsDue(Now()))
        {
            // Decided so long ago that its hold period is over: released at once, as the sweep would have at its expiry.
            await ExpireDueHoldsAsync();
        }

        return entry?.Change is AdviceRecorded { IsAuthorization: true }
            ? new(outcome, null, await ExistingAuthorizationAsync(entry.EntryId), null)
            : new(outcome, entry?.AsPayment(), null, null);
    }

    public async Task ExpireDueHoldsAsync()
    {
        // The sweep read the hold from the ledger: another region's activation may have written it, so catch up first.
        await _commits.InTurnAsync(() => ReadLedgerAsync(_commits.CatchUpAsync));
        if (State.Exists && State.Holds.Values.Any(h => h.IsDue(Now())))
        {
            // An empty request: its group starts with the releases that are due.
            await _commits.RecordAsync(null, "expiry", (_, _) => Verdict.Refused(RecordOutcome.Created));
        }
    }

    public async Task<AuthorizationRecord?> GetAuthorizationAsync(string authorizationId)
    {
        if (!State.Exists)
        {
            DeactivateOnIdle();
            return null;
        }

        return await AuthorizationAfterAsync(authorizationId);
    }

    public async Task<AuthorizationPage?> ListAuthorizationsAsync(AuthorizationStatus? status, int limit, long? beforeSeq)
    {
        if (!State.Exists)
        {
            DeactivateOnIdle();
            return null;
        }

        // A status filter reads a bounded window of authorizations; a page may then hold fewer items than asked and
        // still have a next cursor, from where the window ended.
        var window = status is null ? limit + 1 : Math.Max(limit + 1, AuthorizationWindow);
        var opened = await ReadLedgerAsync(() => ledger.PageAsync(AccountId, LedgerList.Authorizations, beforeSeq, window, CancellationToken.None));
        var rows = opened.Count == 0
            ? []
            : await ReadLedgerAsync(() => ledger.AuthorizationRowsAsync(AccountId, opened.Select(o => o.EntryId).ToList(), CancellationToken.None));
        var now = Now();
        var byAuthorization = rows.ToLookup(r => r.Change.Columns(r).AuthorizationId!, StringComparer.Ordinal);
        var matching = opened
            .Select(o => (o.Seq, Authorization: AuthorizationHistory.Fold([.. byAuthorization[o.EntryId]], now)!))
            .Where(a => status is null || a.Authorization.Status == status)
            .Take(limit + 1)
            .ToList();
        var items = matching.Take(limit).ToList();
        var next = matching.Count > limit ? items[^1].Seq : opened.Count == window ? opened[^1].Seq : (long?)null;
        return new(items.ConvertAll(a => a.Authorization), next);
    }

    public async Task<PaymentPage?> ListPaymentsAsync(int limit, long? beforeSeq)
    {
        if (!State.Exists)
        {
            DeactivateOnIdle();
            return null;
        }

        var rows = await ReadLedgerAsync(() => ledger.PageAsync(AccountId, LedgerList.Payments, beforeSeq, limit + 1, CancellationToken.None));
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

        return (await FindEntryAsync(paymentId))?.AsPayment();
    }

    public async Task<string?> GetRefundMerchantAsync(string paymentId)
    {
        if (!State.Exists)
        {
            DeactivateOnIdle();
            return null;
        }

        // A capture names no merchant of its own: it posts what its authorization's merchant was authorized for.
        return await FindEntryAsync(paymentId) switch
        {
            { Change: CaptureMade capture } => (await FindEntryAsync(capture.AuthorizationId))?.AsAuthorization()?.Merchant,
            var entry => entry?.AsPayment()?.Merchant,
        };
    }

    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        _reminderSeenAt = time.GetUtcNow();
        if (State.LastSeq > _snapshotSeq)
        {
            // A busy account is left to its every-N-rows snapshot: a write per account and period was the largest
            // background cost of a busy region (docs/benchmarks.md).
            if (_reminderSeenAt - _committedAt >= snapshotOptions.Value.Period / 2)
            {
                await SaveSnapshotAsync();
            }

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
    /// A request on one of the account's authorizations (an increment, a capture, a reversal): refused when the
    /// authorization is unknown or settled or the amount is malformed, else recorded in the account's next group commit
    /// and answered with the authorization after it.
    /// </summary>
    private async Task<(RecordOutcome Outcome, TRecord? Record, ValidationErrors? Errors)> RecordOnAuthorizationAsync<TChange, TRecord>(
        string authorizationId, string? idempotencyKey, string fingerprint, long? amount, Func<AccountState, RegionRules, RowStamp, Verdict> decide)
        where TChange : IHoldFollowUp<TRecord>
        where TRecord : class
    {
        if (await RefuseUnknownAuthorizationAsync(authorizationId, idempotencyKey) is { } refused)
        {
            return (refused, null, null);
        }

        var rules = RulesOfAccount();
        if (amount is { } value && AccountValidation.ForAmount(rules, value) is { } errors)
        {
            return (RecordOutcome.Invalid, null, errors);
        }

        var (outcome, entry) = await _commits.RecordAsync(idempotencyKey, fingerprint, (account, stamp) => decide(account, rules, stamp));
        return (outcome, entry?.Change is TChange change
            ? change.ToRecord(entry, await ExistingAuthorizationAsync(change.AuthorizationId))
            : null, null);
    }

    /// <summary>
    /// 404 when the account has no such authorization; 409 when it has, but settled (closed, reversed, declined: only
    /// pending and expired ones stay in memory). A keyed retry of a request that settled it goes on to its replay.
    /// </summary>
    private async Task<RecordOutcome?> RefuseUnknownAuthorizationAsync(string authorizationId, string? idempotencyKey)
    {
        if (!State.Exists)
        {
            DeactivateOnIdle();
            return RecordOutcome.NotFound;
        }

        if (State.Holds.ContainsKey(authorizationId))
        {
            return null;
        }

        var row = await ReadLedgerAsync(() => ledger.FindAsync(AccountId, authorizationId, CancellationToken.None));
        if (row is null || !row.IsIn(LedgerList.Authorizations))
        {
            return RecordOutcome.AuthorizationNotFound;
        }

        return idempotencyKey is null ? RecordOutcome.AuthorizationNotPending : null;
    }

    private async Task<AuthorizationRecord> ExistingAuthorizationAsync(string authorizationId) =>
        await AuthorizationAfterAsync(authorizationId)
        ?? throw new InvalidOperationException($"Authorization {authorizationId} of {AccountId} has rows but no authorization row.");

    /// <summary>
    /// The authorization as of now: from memory while it may still change, else folded from its ledger rows. A hold due
    /// but not yet released reads as expired by itself (<see cref="Hold.ToRecord"/> is as of a moment): no copy of the
    /// account with its releases applied is needed for one authorization.
    /// </summary>
    private async Task<AuthorizationRecord?> AuthorizationAfterAsync(string authorizationId)
    {
        var now = Now();
        if (State.Holds.TryGetValue(authorizationId, out var hold))
        {
            return hold.ToRecord(AccountId, now);
        }

        var rows = await ReadLedgerAsync(() => ledger.AuthorizationRowsAsync(AccountId, [authorizationId], CancellationToken.None));
        return AuthorizationHistory.Fold(rows, now);
    }

    /// <summary>The row with this entry id: from this activation's recent rows, else from the ledger.</summary>
    private async Task<LedgerEntry?> FindEntryAsync(string entryId) =>
        _commits.TryGetRecent(entryId, out var recent)
            ? recent
            : await ReadLedgerAsync(() => ledger.FindAsync(AccountId, entryId, CancellationToken.None));

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
    public void GiveUp(Exception ex)
    {
        logger.LogWarning(ex, "Account {AccountId}: ledger unavailable, deactivating", AccountId);
        DeactivateOnIdle();
    }

    AccountState IAccountJournal.Copy(AccountState state) => copier.Copy(state);

    RowStamp IAccountJournal.Stamp(string entryId, string requestHash) => new(AccountId, entryId, requestHash, Now(), silo.Name);

    LedgerEntry? IAccountJournal.NextDue(AccountState draft) =>
        AccountDecisions.NextExpiry(AccountId, draft, RulesOfAccount(), Now(), silo.Name);

    Task<bool> IAccountJournal.AppendAsync(IReadOnlyList<LedgerEntry> rows) => writer.AppendAsync(rows);

    Task<IReadOnlyList<LedgerEntry>> IAccountJournal.FindAsync(IReadOnlyCollection<string> entryIds) =>
        ledger.FindManyAsync(AccountId, entryIds, CancellationToken.None);

    Task<IReadOnlyList<LedgerEntry>> IAccountJournal.ReadAfterAsync(long seq) =>
        ledger.ReadAfterAsync(AccountId, seq, CancellationToken.None);

    async Task IAccountJournal.CommittedAsync(IReadOnlyList<LedgerEntry> rows)
    {
        metrics.RecordGroup(rows.Count);
        _committedAt = time.GetUtcNow();
        if (State.LastSeq - _snapshotSeq >= snapshotOptions.Value.EveryRows && !_snapshotting)
        {
            // Not awaited: this runs in the account's turn, and payments never wait for a snapshot.
            _snapshotWrite = SaveSnapshotAsync();
        }

        await EnsureSnapshotReminderAsync();
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

    private AccountView View() => AccountViews.Of(AccountId, State, RulesOfAccount(), Now(), copier.Copy);
}
