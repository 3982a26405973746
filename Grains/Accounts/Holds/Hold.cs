using Payments.Contracts;
using Payments.Ledger;

namespace Payments.Accounts.Holds;

/// <summary>
/// One authorization that still matters to its account: pending, or expired and still capturable (a late clearing).
/// What it holds is kept by the business day each held amount was approved in, oldest first, so that what it gives
/// back comes off the spent amount of those periods, the newest approval first.
/// </summary>
[GenerateSerializer]
public sealed class Hold
{
    [Id(0)] public string AuthorizationId { get; set; } = "";

    /// <summary>What was first authorized.</summary>
    [Id(1)] public long Amount { get; set; }

    [Id(2)] public string Currency { get; set; } = "";

    [Id(3)] public string Merchant { get; set; } = "";

    [Id(4)] public string Mcc { get; set; } = "";

    [Id(5)] public DateTimeOffset CreatedAt { get; set; }

    [Id(6)] public string DecidedBy { get; set; } = "";

    /// <summary>What the account had available after the authorization row.</summary>
    [Id(7)] public long AvailableAfter { get; set; }

    [Id(8)] public DateTimeOffset ExpiresAt { get; set; }

    /// <summary>The region's tolerance when the authorization was made: a later change of the rules does not apply to it.</summary>
    [Id(9)] public int OverCapturePercent { get; set; }

    [Id(10)] public long Captured { get; set; }

    [Id(11)] public long Released { get; set; }

    [Id(12)] public bool Final { get; set; }

    /// <summary>The expiry row released it.</summary>
    [Id(13)] public bool ReleasedByTime { get; set; }

    [Id(14)] public List<HeldAmount> Tranches { get; set; } = [];

    /// <summary>What approved increments added to <see cref="Amount"/>.</summary>
    [Id(15)] public long Incremented { get; set; }

    /// <summary>When the hold period last started over (an approved increment); null: at <see cref="HeldFrom"/>.</summary>
    [Id(16)] public DateTimeOffset? ExtendedAt { get; set; }

    /// <summary>Set when the network decided it (an advice): it holds from the advice's decision on.</summary>
    [Id(17)] public AdviceDetails? Advice { get; set; }

    /// <summary>What the rows applied so far leave held, whatever the time.</summary>
    public long Held => Tranches.Sum(t => t.Amount);

    /// <summary>When the hold started: its authorization, or the network's decision for an advice.</summary>
    public DateTimeOffset HeldFrom => Advice?.DecidedAt ?? CreatedAt;

    /// <summary>The hold period of its merchant category under the rules it was made under; an increment starts it over.</summary>
    public TimeSpan Period => ExpiresAt - (ExtendedAt ?? HeldFrom);

    /// <summary>What is held at <paramref name="now"/>: nothing from <see cref="ExpiresAt"/> on.</summary>
    public long HeldAt(DateTimeOffset now) => now >= ExpiresAt ? 0 : Held;

    /// <summary>The most all captures together may total: the authorized amount and its increments plus the region's tolerance.</summary>
    public long CaptureCap => checked((Amount + Incremented) * (100 + OverCapturePercent)) / 100;

    public bool IsDue(DateTimeOffset now) => Held > 0 && now >= ExpiresAt;

    public AuthorizationStatus StatusAt(DateTimeOffset now) =>
        HeldAt(now) > 0 && !Final ? AuthorizationStatus.Pending
        : Captured > 0 ? AuthorizationStatus.Closed
        : ReleasedByTime || now >= ExpiresAt ? AuthorizationStatus.Expired
        : AuthorizationStatus.Reversed;

    public AuthorizationRecord ToRecord(string accountId, DateTimeOffset now) => new(
        AuthorizationId, accountId, Amount, Currency, Merchant, Mcc, StatusAt(now), null, HeldAt(now), Captured,
        checked(Released + Held - HeldAt(now)), AvailableAfter, ExpiresAt, CreatedAt, DecidedBy, Advice);

    /// <summary>A new hold of <paramref name="amount"/>, approved on the row's business day, under the row's id.</summary>
    public static Hold Open(
        LedgerEntry row, long amount, string currency, string merchant, string mcc, DateTimeOffset expiresAt,
        int overCapturePercent, AdviceDetails? advice = null) => new()
    {
        AuthorizationId = row.EntryId,
        Amount = amount,
        Currency = currency,
        Merchant = merchant,
        Mcc = mcc,
        CreatedAt = row.CreatedAt,
        DecidedBy = row.DecidedBy,
        AvailableAfter = row.AvailableAfter,
        ExpiresAt = expiresAt,
        OverCapturePercent = overCapturePercent,
        Advice = advice,
        Tranches = [new HeldAmount { BusinessDate = row.BusinessDate, Amount = amount }],
    };

    /// <summary>Holds <paramref name="amount"/> more, approved on <paramref name="businessDate"/>, until <paramref name="expiresAt"/>.</summary>
    public void Increase(DateOnly businessDate, long amount, DateTimeOffset extendedAt, DateTimeOffset expiresAt)
    {
        Tranches.Add(new HeldAmount { BusinessDate = businessDate, Amount = amount });
        Incremented = checked(Incremented + amount);
        ExtendedAt = extendedAt;
        ExpiresAt = expiresAt;
    }

    /// <summary>Takes <paramref name="amount"/> off the oldest held amounts: what a capture posts.</summary>
    public void Consume(long amount)
    {
        for (var i = 0; amount > 0; i++)
        {
            var part = Math.Min(amount, Tranches[i].Amount);
            Tranches[i].Amount -= part;
            amount -= part;
        }

        Tranches.RemoveAll(t => t.Amount == 0);
    }

    /// <summary>Takes <paramref name="amount"/> off the newest held amounts; <paramref name="giveBack"/> gets each part with its business day.</summary>
    public void Release(long amount, Action<DateOnly, long> giveBack)
    {
        for (var i = Tranches.Count - 1; amount > 0; i--)
        {
            var part = Math.Min(amount, Tranches[i].Amount);
            Tranches[i].Amount -= part;
            amount -= part;
            giveBack(Tranches[i].BusinessDate, part);
        }

        Tranches.RemoveAll(t => t.Amount == 0);
    }
}

/// <summary>Part of a hold, by the business day it was approved in.</summary>
[GenerateSerializer]
public sealed class HeldAmount
{
    [Id(0)] public DateOnly BusinessDate { get; set; }

    [Id(1)] public long Amount { get; set; }
}
