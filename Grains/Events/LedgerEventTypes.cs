using System.Collections.Frozen;
using Payments.Contracts;
using Payments.Ledger;

namespace Payments.Events;

/// <summary>
/// What names a ledger row's event type, all plain columns of the row: its kind, its status, and whether it belongs to
/// an authorization (its <c>authorization_id</c> is set: what tells an authorization advice from a payment advice).
/// </summary>
public readonly record struct RowClass(EntryKind Kind, PaymentStatus Status, bool OfAuthorization)
{
    public static RowClass Of(LedgerEntry entry)
    {
        var columns = entry.Change.Columns(entry);
        return new(entry.Kind, columns.Status, columns.AuthorizationId is not null);
    }
}

/// <summary>
/// The event type of every class of ledger row, in one table: <see cref="LedgerEvents"/> names a row's type from it,
/// and the feed turns a type filter into the row classes it matches, so the store filters by type (in SQL) without
/// reading the payloads.
/// </summary>
public static class LedgerEventTypes
{
    private static readonly FrozenDictionary<RowClass, string> Types = new Dictionary<RowClass, string>
    {
        [new(EntryKind.Open, PaymentStatus.Approved, false)] = EventTypes.AccountOpened,
        [new(EntryKind.Settings, PaymentStatus.Approved, false)] = EventTypes.AccountUpdated,
        [new(EntryKind.Payment, PaymentStatus.Approved, false)] = EventTypes.PaymentApproved,
        [new(EntryKind.Payment, PaymentStatus.Declined, false)] = EventTypes.PaymentDeclined,
        [new(EntryKind.Deposit, PaymentStatus.Approved, false)] = EventTypes.DepositCreated,
        [new(EntryKind.Authorization, PaymentStatus.Approved, true)] = EventTypes.AuthorizationPending,
        [new(EntryKind.Authorization, PaymentStatus.Declined, true)] = EventTypes.AuthorizationDeclined,
        [new(EntryKind.Increment, PaymentStatus.Approved, true)] = EventTypes.AuthorizationIncremented,
        [new(EntryKind.Increment, PaymentStatus.Declined, true)] = EventTypes.AuthorizationIncrementDeclined,
        [new(EntryKind.Capture, PaymentStatus.Approved, true)] = EventTypes.AuthorizationCaptured,
        [new(EntryKind.Reversal, PaymentStatus.Approved, true)] = EventTypes.AuthorizationReversed,
        [new(EntryKind.Expiry, PaymentStatus.Approved, true)] = EventTypes.AuthorizationExpired,
        [new(EntryKind.Refund, PaymentStatus.Approved, false)] = EventTypes.RefundCreated,
        // Advices come as the payment or authorization type, with data.advice true.
        [new(EntryKind.Advice, PaymentStatus.Approved, false)] = EventTypes.PaymentApproved,
        [new(EntryKind.Advice, PaymentStatus.Approved, true)] = EventTypes.AuthorizationPending,
    }.ToFrozenDictionary();

    public static string Of(LedgerEntry entry) =>
        Types.TryGetValue(RowClass.Of(entry), out var type)
            ? type
            : throw new InvalidOperationException($"Ledger row {entry.Seq} of {entry.AccountId}: {RowClass.Of(entry)} has no event type.");

    /// <summary>The row classes whose type <paramref name="types"/> matches; null when it matches them all (no filter).</summary>
    public static IReadOnlyCollection<RowClass>? Matching(EventTypeFilter types)
    {
        var matching = Types.Where(pair => types.Matches(pair.Value)).Select(pair => pair.Key).ToList();
        return matching.Count == Types.Count ? null : matching;
    }
}
