using Payments.Accounts;
using Payments.Accounts.Holds;
using Payments.Contracts;
using Payments.Ledger;
using Payments.Ledger.Changes;
using Payments.Regions;

namespace Payments.Events;

/// <summary>
/// The one place where a ledger row becomes an event: its type, and its data as the API answers for that row (the
/// payment, the deposit, the authorization, increment, capture, reversal or refund, the account view). Every kind of
/// row is one case; a kind without one throws (LedgerEventsTests makes that a failing test, not a production error).
/// </summary>
public sealed class LedgerEvents(ILedgerStore ledger, IRegionRulesProvider regions)
{
    /// <summary>The row as an event: its type from <see cref="LedgerEventTypes"/>, its data as the API answers it.</summary>
    public async Task<FeedEvent> ToEventAsync(FeedRow row, CancellationToken cancellationToken)
    {
        var entry = row.Entry;
        var type = LedgerEventTypes.Of(entry);
        var id = EventId(entry.AccountId, entry.Seq);
        var json = CloudEventJson.Write(id, $"/regions/{row.Region}/accounts/{entry.AccountId}", type, entry, await DataAsync(entry, cancellationToken));
        return new FeedEvent(row.Position, id, type, entry.AccountId, entry.Seq, entry.CreatedAt, json);
    }

    /// <summary>Every kind of row: its data, as the endpoint that recorded it answered.</summary>
    private async Task<object> DataAsync(LedgerEntry entry, CancellationToken cancellationToken) => entry.Change switch
    {
        AccountOpened or SettingsChanged => await AccountViewAtAsync(entry, cancellationToken),
        PaymentDecided => entry.ToPayment(),
        DepositMade => entry.ToDeposit(),
        AuthorizationDecided decided => decided.ToRecord(entry),
        CaptureMade capture => capture.ToRecord(entry, await AuthorizationAtAsync(entry, capture.AuthorizationId, cancellationToken)),
        ReversalMade reversal => reversal.ToRecord(entry, await AuthorizationAtAsync(entry, reversal.AuthorizationId, cancellationToken)),
        HoldExpired expired => await AuthorizationAtAsync(entry, expired.AuthorizationId, cancellationToken),
        IncrementDecided increment => increment.ToRecord(entry, await AuthorizationAtAsync(entry, increment.AuthorizationId, cancellationToken)),
        RefundMade refund => refund.ToRecord(entry),
        AdviceRecorded { IsAuthorization: true } => entry.AsAuthorization()!,
        AdviceRecorded => entry.ToPayment(),
        _ => throw new InvalidOperationException($"Ledger row kind {entry.Kind} has no event data."),
    };

    /// <summary>An event's id: its account and ledger seq, which name one row forever.</summary>
    public static string EventId(string accountId, long seq) => $"{accountId}:{seq}";

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
    /// <see cref="AccountState.Apply"/>, as an activation would. Account rows are rare, so the replay is too; the opening
    /// row is the account's first, so it is replayed alone, without reading the account's rows (a bulk opening of
    /// accounts made the feed read every one of them whole, one query per event).
    /// </summary>
    private async Task<object> AccountViewAtAsync(LedgerEntry entry, CancellationToken cancellationToken)
    {
        var state = new AccountState();
        IReadOnlyList<LedgerEntry> rows = entry.Change is AccountOpened ? [entry] : await ledger.ReadAfterAsync(entry.AccountId, 0, cancellationToken);
        foreach (var row in rows)
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
