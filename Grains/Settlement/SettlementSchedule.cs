using Payments.Accounts;

namespace Payments.Settlement;

/// <summary>When a region's settlement runs: a grace period after each reset of its business calendar.</summary>
public static class SettlementSchedule
{
    /// <summary>The reminder's period: a tick that finds nothing to do costs one query; a missed or crashed run resumes within it.</summary>
    public static readonly TimeSpan TickPeriod = TimeSpan.FromHours(1);

    /// <summary>The next instant a day will have been closed for <paramref name="grace"/>.</summary>
    public static DateTimeOffset NextRun(BusinessCalendar calendar, DateTimeOffset now, TimeSpan grace)
    {
        var today = calendar.BusinessDate(now);
        var afterTodaysReset = calendar.DayStart(today) + grace;
        return afterTodaysReset > now ? afterTodaysReset : calendar.DayStart(today.AddDays(1)) + grace;
    }

    /// <summary>The days of the last <paramref name="lookbackDays"/> that closed at least <paramref name="grace"/> ago, oldest first.</summary>
    public static IReadOnlyList<DateOnly> ClosedDays(BusinessCalendar calendar, DateTimeOffset now, TimeSpan grace, int lookbackDays)
    {
        var today = calendar.BusinessDate(now);
        return Enumerable.Range(1, lookbackDays)
            .Select(back => today.AddDays(-back))
            .Where(day => calendar.DayStart(day.AddDays(1)) + grace <= now)
            .Order()
            .ToList();
    }

    /// <summary>
    /// Whether ticks every <see cref="TickPeriod"/> from <paramref name="tick"/> land on the runs (within a minute):
    /// a change of time zone to one with another UTC minute offset moves them.
    /// </summary>
    public static bool IsAligned(BusinessCalendar calendar, DateTimeOffset tick, TimeSpan grace)
    {
        var offset = (NextRun(calendar, tick, grace) - tick).Ticks % TickPeriod.Ticks;
        return offset <= TimeSpan.TicksPerMinute || offset >= TickPeriod.Ticks - TimeSpan.TicksPerMinute;
    }
}
