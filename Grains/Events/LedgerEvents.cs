using Payments.Accounts;
using Payments.Contracts;
using Payments.Ledger;
using Payments.Regions;

namespace Payments.Events;

/// <summary>
/// The one place where a ledger row becomes an event: its type, and its data as the API answers for that row (the
/// payment, the deposit, the account view). Every kind of row is one case; a kind without one throws.
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
    private (string Type, Func<CancellationToken, Task<object>> Data) Describe(LedgerEntry entry) => entry.Kind switch
    {
        EntryKind.Open => (EventTypes.AccountOpened, token => AccountViewAtAsync(entry, token)),
        EntryKind.Settings => (EventTypes.AccountUpdated, token => AccountViewAtAsync(entry, token)),
        EntryKind.Payment => (PaymentType(entry.ToPayment().Status), _ => Task.FromResult<object>(entry.ToPayment())),
        EntryKind.Deposit => (EventTypes.DepositCreated, _ => Task.FromResult<object>(entry.ToDeposit())),
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
