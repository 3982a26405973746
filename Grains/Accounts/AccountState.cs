using Payments.Accounts.Holds;
using Payments.Contracts;
using Payments.Ledger;
using Payments.Ledger.Changes;

namespace Payments.Accounts;

/// <summary>
/// The compact state of an account: a cache of its ledger up to <see cref="LastSeq"/>, snapshotted through grain
/// storage. <see cref="Apply"/> is the only way it changes, both for new decisions and for ledger replay.
/// </summary>
[GenerateSerializer]
public sealed class AccountState
{
    [Id(0)] public bool Exists { get; set; }

    [Id(1)] public string Region { get; set; } = "";

    [Id(2)] public string Currency { get; set; } = "";

    [Id(3)] public AccountStatus Status { get; set; }

    [Id(4)] public long Balance { get; set; }

    // A fresh instance, never the shared AccountLimits.None: the JSON grain storage serializer fills a property's
    // existing object in place when it loads a snapshot, which would hand one account's limits to every other.
    [Id(5)] public AccountLimits Limits { get; set; } = new(null, null, null, null);

    [Id(6)] public SpendingCounter Daily { get; set; } = new();

    [Id(7)] public SpendingCounter Weekly { get; set; } = new();

    [Id(8)] public SpendingCounter Monthly { get; set; } = new();

    /// <summary>The seq of the last ledger row applied; the next decision takes LastSeq + 1.</summary>
    [Id(9)] public long LastSeq { get; set; }

    /// <summary>Pending authorizations, and expired ones that may still be captured late, by authorization id.</summary>
    [Id(10)] public Dictionary<string, Hold> Holds { get; set; } = new(StringComparer.Ordinal);

    /// <summary>What was refunded so far of each payment or capture that refunds named, by its id.</summary>
    [Id(11)] public Dictionary<string, long> Refunded { get; set; } = new(StringComparer.Ordinal);

    /// <summary>What the holds applied so far keep back, whatever the time (due holds are released before any decision).</summary>
    public long Held => Holds.Values.Sum(h => h.Held);

    /// <summary>The balance less the holds: what decisions are made against.</summary>
    public long Available => checked(Balance - Held);

    /// <summary>What the holds keep back at <paramref name="now"/>: an expired hold keeps nothing, released by its row or not.</summary>
    public long HeldAt(DateTimeOffset now) => Holds.Values.Sum(h => h.HeldAt(now));

    /// <summary>
    /// Applies the next ledger row: its balance effect and last seq here, the rest by its change's own
    /// <see cref="LedgerChange.Apply"/>. Rows must come in seq order with no gap.
    /// </summary>
    public void Apply(LedgerEntry entry)
    {
        if (entry.Seq != LastSeq + 1)
        {
            throw new InvalidOperationException(
                $"Ledger row {entry.Seq} of {entry.AccountId} does not follow {LastSeq}.");
        }

        Balance = checked(Balance + entry.Change.BalanceEffect());
        entry.Change.Apply(this, entry);
        if (entry.Change is IHoldChange change
            && Holds.TryGetValue(change.AuthorizationId, out var hold)
            && hold.StatusAt(entry.CreatedAt) is AuthorizationStatus.Closed or AuthorizationStatus.Reversed)
        {
            // Settled: nothing more can happen to it. Only pending and expired (capturable) authorizations stay.
            Holds.Remove(change.AuthorizationId);
        }

        LastSeq = entry.Seq;
    }

    /// <summary>Gives back an amount approved on <paramref name="businessDate"/> to the periods it was counted in.</summary>
    internal void Unspend(DateOnly businessDate, long amount)
    {
        Daily.Remove(businessDate, amount);
        Weekly.Remove(BusinessCalendar.WeekKey(businessDate), amount);
        Monthly.Remove(BusinessCalendar.MonthKey(businessDate), amount);
    }

    public long RefundedOf(string paymentId) => Refunded.GetValueOrDefault(paymentId);

    /// <summary>
    /// Counts what the network decided on <paramref name="businessDate"/> in those of its periods that have not passed
    /// (a period the counters moved beyond keeps nothing, so nothing can be added to it).
    /// </summary>
    internal void SpendAdvised(DateOnly businessDate, long amount)
    {
        Daily.AddUnlessPassed(businessDate, amount);
        Weekly.AddUnlessPassed(BusinessCalendar.WeekKey(businessDate), amount);
        Monthly.AddUnlessPassed(BusinessCalendar.MonthKey(businessDate), amount);
    }

    /// <summary>Counts an approved amount in the daily, weekly and monthly periods of its business date.</summary>
    internal void Spend(DateOnly businessDate, long amount)
    {
        Daily.Add(businessDate, amount);
        Weekly.Add(BusinessCalendar.WeekKey(businessDate), amount);
        Monthly.Add(BusinessCalendar.MonthKey(businessDate), amount);
    }

    internal void ApplySettings(AccountSettings settings)
    {
        Region = settings.Region;
        Limits = settings.Limits;
        Status = settings.Status;
    }
}
