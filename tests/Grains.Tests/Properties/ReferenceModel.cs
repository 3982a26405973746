using Payments.Accounts;
using Payments.Contracts;

namespace Payments.Grains.Tests.Properties;

/// <summary>
/// A plain model of one account, written from the contract and not from the code: it keeps the list of approved
/// amounts with their instants and sums each period by brute force between the calendar's bounds. No counters. Holds
/// are lists of what each approval still holds; what a hold gives back comes off its newest approvals.
/// </summary>
internal sealed partial class ReferenceModel
{
    private const string Currency = "EUR";
    private readonly BusinessCalendar _calendar;
    private readonly TimeZoneInfo _zone;
    private readonly long _maxPerPayment;
    private readonly LimitSet _regionDefaults;
    private readonly HashSet<string> _blockedMccs;
    private readonly List<Approval> _approved = [];

    public ReferenceModel(RegionRules rules, long initialBalance, AccountLimits ownLimits)
    {
        _calendar = BusinessCalendar.For(rules);
        _zone = TimeZoneInfo.FindSystemTimeZoneById(rules.TimeZone);
        _maxPerPayment = rules.MaxPerPayment;
        _regionDefaults = rules.DefaultLimits;
        _blockedMccs = [.. rules.BlockedMccs];
        Balance = initialBalance;
        PerPayment = ownLimits.PerPayment;
        Daily = ownLimits.Daily;
        Weekly = ownLimits.Weekly;
        Monthly = ownLimits.Monthly;
    }

    public long Balance { get; private set; }

    public AccountStatus Status { get; private set; } = AccountStatus.Active;

    public long? PerPayment { get; private set; }

    public long? Daily { get; private set; }

    public long? Weekly { get; private set; }

    public long? Monthly { get; private set; }

    /// <summary>What the model answers to a payment: null when the request is malformed (nothing recorded).</summary>
    public (PaymentStatus Status, DeclineReason? Reason)? Pay(DateTimeOffset now, long amount, string currency, string mcc)
    {
        if (amount < 1 || amount > _maxPerPayment)
        {
            return null;
        }

        var reason = FirstDeclineReason(now, currency, mcc, amount, amount);
        if (reason is not null)
        {
            return (PaymentStatus.Declined, reason);
        }

        Balance -= amount;
        _approved.Add(new Approval(now, amount));
        return (PaymentStatus.Approved, null);
    }

    /// <summary>The contract's decline reasons in order; <paramref name="total"/> is what the per-payment ceiling bounds.</summary>
    private DeclineReason? FirstDeclineReason(DateTimeOffset now, string currency, string mcc, long total, long amount)
    {
        var reason = Status switch
        {
            AccountStatus.Closed => DeclineReason.AccountClosed,
            AccountStatus.Frozen => DeclineReason.AccountFrozen,
            _ => (DeclineReason?)null,
        };
        reason ??= currency != Currency ? DeclineReason.CurrencyMismatch : null;
        reason ??= _blockedMccs.Contains(mcc) ? DeclineReason.CategoryBlocked : null;
        reason ??= total > (PerPayment ?? _regionDefaults.PerPayment) ? DeclineReason.PerPaymentLimitExceeded : null;
        reason ??= amount > Available(now) ? DeclineReason.InsufficientFunds : null;
        reason ??= SpentToday(now) + amount > (Daily ?? _regionDefaults.Daily) ? DeclineReason.DailyLimitExceeded : null;
        reason ??= SpentThisWeek(now) + amount > (Weekly ?? _regionDefaults.Weekly) ? DeclineReason.WeeklyLimitExceeded : null;
        reason ??= SpentThisMonth(now) + amount > (Monthly ?? _regionDefaults.Monthly) ? DeclineReason.MonthlyLimitExceeded : null;
        return reason;
    }

    /// <summary>True when the deposit is accepted.</summary>
    public bool Deposit(long amount, string currency)
    {
        if (amount < 1 || currency != Currency || Status == AccountStatus.Closed)
        {
            return false;
        }

        Balance += amount;
        return true;
    }

    /// <summary>True when the change is accepted: every limit it sets must be positive.</summary>
    public bool ChangeLimits(AccountLimits change)
    {
        if (change.PerPayment <= 0 || change.Daily <= 0 || change.Weekly <= 0 || change.Monthly <= 0)
        {
            return false;
        }

        PerPayment = change.PerPayment ?? PerPayment;
        Daily = change.Daily ?? Daily;
        Weekly = change.Weekly ?? Weekly;
        Monthly = change.Monthly ?? Monthly;
        return true;
    }

    public void ChangeStatus(AccountStatus status) => Status = status;

    public LimitSet EffectiveLimits() => new(
        PerPayment ?? _regionDefaults.PerPayment,
        Daily ?? _regionDefaults.Daily,
        Weekly ?? _regionDefaults.Weekly,
        Monthly ?? _regionDefaults.Monthly);

    public long SpentToday(DateTimeOffset now) => SumBetween(Approvals, DayOf(now));

    public long SpentThisWeek(DateTimeOffset now) => SumBetween(Approvals, WeekOf(now));

    public long SpentThisMonth(DateTimeOffset now) => SumBetween(Approvals, MonthOf(now));

    private IEnumerable<(DateTimeOffset At, long Amount)> Approvals => _approved.Select(a => (a.At, a.Amount));

    /// <summary>The approved amounts whose instants fall in [start, end).</summary>
    public static long SumBetween(IEnumerable<(DateTimeOffset At, long Amount)> approved, (DateTimeOffset Start, DateTimeOffset End) bounds) =>
        approved.Where(p => bounds.Start <= p.At && p.At < bounds.End).Sum(p => p.Amount);

    public (DateTimeOffset Start, DateTimeOffset End) DayOf(DateTimeOffset now)
    {
        var today = Today(now);
        return (_calendar.DayStart(today), _calendar.DayStart(today.AddDays(1)));
    }

    public (DateTimeOffset Start, DateTimeOffset End) WeekOf(DateTimeOffset now)
    {
        var monday = Today(now);
        while (monday.DayOfWeek != DayOfWeek.Monday)
        {
            monday = monday.AddDays(-1);
        }

        return (_calendar.DayStart(monday), _calendar.DayStart(monday.AddDays(7)));
    }

    public (DateTimeOffset Start, DateTimeOffset End) MonthOf(DateTimeOffset now)
    {
        var today = Today(now);
        var first = new DateOnly(today.Year, today.Month, 1);
        return (_calendar.DayStart(first), _calendar.DayStart(first.AddMonths(1)));
    }

    /// <summary>The business day that holds <paramref name="now"/>, found by its bounds, not by the calendar's own lookup.</summary>
    public DateOnly Today(DateTimeOffset now)
    {
        var localDate = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(now, _zone).DateTime);
        for (var day = localDate.AddDays(-1); day <= localDate.AddDays(1); day = day.AddDays(1))
        {
            if (_calendar.DayStart(day) <= now && now < _calendar.DayStart(day.AddDays(1)))
            {
                return day;
            }
        }

        throw new InvalidOperationException($"No business day holds {now:O}.");
    }
}
