using System.Collections.Frozen;
using Payments.Contracts;
using Payments.Ledger;

namespace Payments.Events;

/// <summary>What names a ledger row's event type: its kind and its status column, both plain columns of the row.</summary>
public readonly record struct RowClass(EntryKind Kind, PaymentStatus Status)
{
    public static RowClass Of(LedgerEntry entry) => new(entry.Kind, entry.Change.Columns(entry).Status);
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
        [new(EntryKind.Open, PaymentStatus.Approved)] = EventTypes.AccountOpened,
        [new(EntryKind.Settings, PaymentStatus.Approved)] = EventTypes.AccountUpdated,
        [new(EntryKind.Payment, PaymentStatus.Approved)] = EventTypes.PaymentApproved,
        [new(EntryKind.Payment, PaymentStatus.Declined)] = EventTypes.PaymentDeclined,
        [new(EntryKind.Deposit, PaymentStatus.Approved)] = EventTypes.DepositCreated,
        [new(EntryKind.Authorization, PaymentStatus.Approved)] = EventTypes.AuthorizationPending,
        [new(EntryKind.Authorization, PaymentStatus.Declined)] = EventTypes.AuthorizationDeclined,
        [new(EntryKind.Capture, PaymentStatus.Approved)] = EventTypes.AuthorizationCaptured,
        [new(EntryKind.Reversal, PaymentStatus.Approved)] = EventTypes.AuthorizationReversed,
        [new(EntryKind.Expiry, PaymentStatus.Approved)] = EventTypes.AuthorizationExpired,
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
