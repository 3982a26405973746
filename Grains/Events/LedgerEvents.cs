using Payments.Accounts;
using Payments.Accounts.Holds;
using Payments.Contracts;
using Payments.Ledger;
using Payments.Ledger.Changes;
using Payments.Regions;

namespace Payments.Events;

/// <summary>
/// The one place where a ledger row becomes an event: its type, and its data as the API answers for that row (the
/// payment, the deposit, the authorization, capture or reversal, the account view). Every kind of row is one case; a
/// kind without one throws (LedgerEventsTests makes that a failing test, not a production error).
/// </summary>
public sealed class LedgerEvents(ILedgerStore ledger, IRegionRulesProvider regions)
{
    /// <summary>The row as an event, whatever its type.</summary>
    public async Task<FeedEvent> ToEventAsync(FeedRow row, CancellationToken cancellationToken) =>
        (await ToEventAsync(row, EventTypeFilter.Any, cancellationToken))!;

    /// <summary>The row as an event when its type matches <paramref name="types"/>, else null (and its data is not built).</summary>
    public async Task<FeedEvent?> ToEventAsync(FeedRow row, EventTypeFilter types, CancellationToken cancellationToken)
    {
        var entry = row.Entry;
        var (type, data) = Describe(entry);
        if (!types.Matches(type))
        {
            return null;
        }

        var id = EventId(entry.AccountId, entry.Seq);
        var json = CloudEventJson.Write(id, $"/regions/{row.Region}/accounts/{entry.AccountId}", type, entry, await data(cancellationToken));
        return new FeedEvent(row.Position, id, type, entry.AccountId, entry.Seq, entry.CreatedAt, json);
    }

    /// <summary>Every kind of row: its event type, and how to build its data.</summary>
    private (string Type, Func<CancellationToken, Task<object>> Data) Describe(LedgerEntry entry) => entry.Change switch
    {
        AccountOpened => (EventTypes.AccountOpened, token => AccountViewAtAsync(entry, token)),
        SettingsChanged => (EventTypes.AccountUpdated, token => AccountViewAtAsync(entry, token)),
        PaymentDecided payment => (PaymentType(payment.Status), _ => Task.FromResult<object>(entry.ToPayment())),
        DepositMade => (EventTypes.DepositCreated, _ => Task.FromResult<object>(entry.ToDeposit())),
        AuthorizationDecided decided => (AuthorizationType(decided.Status), _ => Task.FromResult<object>(decided.ToRecord(entry))),
        CaptureMade capture => (EventTypes.AuthorizationCaptured,
            async token => capture.ToRecord(entry, await AuthorizationAtAsync(entry, capture.AuthorizationId, token))),
        ReversalMade reversal => (EventTypes.AuthorizationReversed,
            async token => reversal.ToRecord(entry, await AuthorizationAtAsync(entry, reversal.AuthorizationId, token))),
        HoldExpired expired => (EventTypes.AuthorizationExpired,
            async token => await AuthorizationAtAsync(entry, expired.AuthorizationId, token)),
        IncrementDecided increment => (IncrementType(increment.Status),
            async token => increment.ToRecord(entry, await AuthorizationAtAsync(entry, increment.AuthorizationId, token))),
        RefundMade refund => (EventTypes.RefundCreated, _ => Task.FromResult<object>(refund.ToRecord(entry))),
        AdviceRecorded { IsAuthorization: true } => (EventTypes.AuthorizationPending, _ => Task.FromResult<object>(entry.AsAuthorization()!)),
        AdviceRecorded => (EventTypes.PaymentApproved, _ => Task.FromResult<object>(entry.ToPayment())),
        _ => throw new InvalidOperationException($"Ledger row kind {entry.Kind} has no event type."),
    };

    /// <summary>An event's id: its account and ledger seq, which name one row forever.</summary>
    public static string EventId(string accountId, long seq) => $"{accountId}:{seq}";

    private static string PaymentType(PaymentStatus status) => status switch
    {
        PaymentStatus.Approved => EventTypes.PaymentApproved,
        PaymentStatus.Declined => EventTypes.PaymentDeclined,
        _ => throw new InvalidOperationException($"Payment status {status} has no event type."),
    };

    private static string AuthorizationType(PaymentStatus status) => status switch
    {
        PaymentStatus.Approved => EventTypes.AuthorizationPending,
        PaymentStatus.Declined => EventTypes.AuthorizationDeclined,
        _ => throw new InvalidOperationException($"Authorization status {status} has no event type."),
    };

    private static string IncrementType(PaymentStatus status) => status switch
    {
        PaymentStatus.Approved => EventTypes.AuthorizationIncremented,
        PaymentStatus.Declined => EventTypes.AuthorizationIncrementDeclined,
        _ => throw new InvalidOperationException($"Increment status {status} has no event type."),
    };

    /// <summary>
    /// The authorization as the API answered it right after this row: its own rows up to this one, folded as of the
    /// row's time (so an expiry reads expired, a capture before the expiry still pending).
    /// </summary>
    private async Task<AuthorizationRecord> AuthorizationAtAsync(LedgerEntry entry, string authorizationId, CancellationToken cancellationToken)
    {
        var rows = await ledger.AuthorizationRowsAsync(entry.AccountId, [authorizationId], cancellationToken);
        return AuthorizationHistory.Fold(rows.Where(row => row.Seq <= entry.Seq).ToList(), entry.CreatedAt)
            ?? throw new InvalidOperationException($"Row {entry.Seq} of {entry.AccountId} names authorization {authorizationId}, which has no authorization row.");
    }

    /// <summary>
    /// The account view as it was right after this row: the account's rows up to it replayed through
    /// <see cref="AccountState.Apply"/>, as an activation would. Account rows are rare, so the replay is too.
    /// </summary>
    private async Task<object> AccountViewAtAsync(LedgerEntry entry, CancellationToken cancellationToken)
    {
        var state = new AccountState();
        foreach (var row in await ledger.ReadAfterAsync(entry.AccountId, 0, cancellationToken))
        {
            if (row.Seq > entry.Seq)
            {
                break;
            }

            state.Apply(row);
        }

        var rules = regions.Find(state.Region) ?? throw new InvalidOperationException($"Region {state.Region} has no rules.");
        // The replayed state is this call's own: no copy needed.
        return AccountViews.Of(entry.AccountId, state, rules, entry.CreatedAt, replayed => replayed);
    }
}
