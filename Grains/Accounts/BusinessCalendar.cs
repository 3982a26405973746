using System.Collections.Concurrent;
using Payments.Contracts;

namespace Payments.Accounts;

/// <summary>
/// A region's business calendar: a business day starts at the reset hour in the region's time zone,
/// a week on Monday at that hour, a month on the 1st at that hour.
/// </summary>
/// <remarks>
/// A reset hour that falls in a DST gap happens at the first instant after the gap; one that occurs twice
/// (clocks set back) happens at its first occurrence. So days of 23 and 25 hours fall out by themselves.
/// After a change of zone or hour (<see cref="CalendarChange"/>) the previous calendar rules until the change takes
/// effect; the first day of the new calendar starts at that instant and runs to the new calendar's next reset, and
/// business dates never go back: a day that has ended never reopens, whatever the new zone and hour say.
/// </remarks>
public sealed class BusinessCalendar
{
    private static readonly ConcurrentDictionary<string, TimeZoneInfo> Zones = new(StringComparer.Ordinal);
    private readonly TimeZoneInfo _zone;
    private readonly int _resetHour;
    private readonly BusinessCalendar? _previous;
    private readonly DateTimeOffset _effectiveAt;
    private readonly DateOnly _firstDate;

    public BusinessCalendar(TimeZoneInfo zone, int resetHour)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(resetHour);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(resetHour, 23);
        _zone = zone;
        _resetHour = resetHour;
    }

    /// <summary>The calendar <paramref name="previous"/> until <paramref name="effectiveAt"/>, this zone and hour after.</summary>
    private BusinessCalendar(BusinessCalendar previous, DateTimeOffset effectiveAt, TimeZoneInfo zone, int resetHour)
        : this(zone, resetHour)
    {
        _previous = previous;
        _effectiveAt = effectiveAt;
        _firstDate = previous.BusinessDate(effectiveAt);
    }

    public static BusinessCalendar For(RegionRules rules) => rules.CalendarChange is { } change
        ? new BusinessCalendar(
            new BusinessCalendar(Zone(change.PreviousTimeZone), change.PreviousResetHour),
            change.EffectiveAt, Zone(rules.TimeZone), rules.ResetHour)
        : new BusinessCalendar(Zone(rules.TimeZone), rules.ResetHour);

    /// <summary>True when <paramref name="timeZone"/> is an IANA zone this machine knows.</summary>
    public static bool IsKnownZone(string timeZone) =>
        TimeZoneInfo.TryFindSystemTimeZoneById(timeZone, out var zone) && zone.HasIanaId;

    /// <summary>The business day that contains <paramref name="instant"/>.</summary>
    public DateOnly BusinessDate(DateTimeOffset instant)
    {
        if (_previous is not null && instant < _effectiveAt)
        {
            return _previous.BusinessDate(instant);
        }

        var local = TimeZoneInfo.ConvertTime(instant, _zone);
        var date = DateOnly.FromDateTime(local.DateTime);
        date = instant < LocalDayStart(date) ? date.AddDays(-1) : date;
        return _previous is null || date > _firstDate ? date : _firstDate;
    }

    /// <summary>The instant business day <paramref name="date"/> starts.</summary>
    public DateTimeOffset DayStart(DateOnly date)
    {
        if (_previous is null)
        {
            return LocalDayStart(date);
        }

        if (date < _firstDate)
        {
            return _previous.DayStart(date);
        }

        // The first day of this calendar starts when it takes effect; a later one never starts before that (a day
        // the change skipped has no length).
        var start = LocalDayStart(date);
        return date == _firstDate || start < _effectiveAt ? _effectiveAt : start;
    }

    public PeriodBounds Day(DateOnly businessDate) => new(businessDate, DayStart(businessDate), DayStart(businessDate.AddDays(1)));

    public PeriodBounds Week(DateOnly businessDate)
    {
        var monday = WeekKey(businessDate);
        return new(monday, DayStart(monday), DayStart(monday.AddDays(7)));
    }

    public PeriodBounds Month(DateOnly businessDate)
    {
        var first = MonthKey(businessDate);
        return new(first, DayStart(first), DayStart(first.AddMonths(1)));
    }

    /// <summary>The Monday that starts the week of <paramref name="businessDate"/>.</summary>
    public static DateOnly WeekKey(DateOnly businessDate) =>
        businessDate.AddDays(-(((int)businessDate.DayOfWeek + 6) % 7));

    /// <summary>The 1st that starts the month of <paramref name="businessDate"/>.</summary>
    public static DateOnly MonthKey(DateOnly businessDate) => new(businessDate.Year, businessDate.Month, 1);

    private static TimeZoneInfo Zone(string timeZone) => Zones.GetOrAdd(timeZone, TimeZoneInfo.FindSystemTimeZoneById);

    /// <summary>When <paramref name="date"/> starts by this zone and hour alone.</summary>
    private DateTimeOffset LocalDayStart(DateOnly date)
    {
        var local = date.ToDateTime(new TimeOnly(_resetHour, 0));

        // In a DST gap the wall-clock time never occurs: move to the first minute that does.
        while (_zone.IsInvalidTime(local))
        {
            local = local.AddMinutes(1);
        }

        var offset = _zone.IsAmbiguousTime(local)
            ? _zone.GetAmbiguousTimeOffsets(local).Max()
            : _zone.GetUtcOffset(local);
        return new DateTimeOffset(DateTime.SpecifyKind(local, DateTimeKind.Unspecified), offset).ToUniversalTime();
    }
}

/// <summary>One period of a ceiling: its key (the business date it starts on) and its bounds in time.</summary>
public readonly record struct PeriodBounds(DateOnly Key, DateTimeOffset Start, DateTimeOffset End);
