using Payments.Accounts;
using Payments.Contracts;
using Payments.Grains.Tests.Support;
using static Payments.Grains.Tests.Support.TestRules;
using Payments.Regions;

namespace Payments.Grains.Tests.Calendar;

/// <summary>
/// A change of reset hour or time zone: it takes effect at the end of the business day in which it is made, the first
/// day of the new calendar runs from there to the new calendar's next reset, and a day that has ended never reopens.
/// Paris in November is UTC+1: the reset at 03:00 local is 02:00 UTC.
/// </summary>
public sealed class CalendarChangeTests
{
    private static readonly DateTimeOffset MadeAt = At("2026-11-25T10:00:00Z");

    [Fact]
    public void Change_of_reset_hour_is_scheduled_for_the_end_of_the_current_business_day()
    {
        var next = Changed(TestRules.Paris(3), MadeAt, resetHour: 5);

        Assert.Equal(new CalendarChange("Europe/Paris", 3, At("2026-11-26T02:00:00Z")), next.CalendarChange);
        Assert.Equal((5, 2L), (next.ResetHour, next.Version));
    }

    [Theory]
    [InlineData("2026-11-26T01:59:59Z", "2026-11-25")]
    [InlineData("2026-11-26T02:00:00Z", "2026-11-26")]
    [InlineData("2026-11-26T03:30:00Z", "2026-11-26")]
    [InlineData("2026-11-27T03:59:59Z", "2026-11-26")]
    [InlineData("2026-11-27T04:00:00Z", "2026-11-27")]
    public void Later_reset_hour_stretches_the_first_new_day_and_never_reopens_the_last_old_one(string instant, string expected)
    {
        var calendar = BusinessCalendar.For(Changed(TestRules.Paris(3), MadeAt, resetHour: 5));

        Assert.Equal(Date(expected), calendar.BusinessDate(At(instant)));
        Assert.Equal((At("2026-11-26T02:00:00Z"), At("2026-11-27T04:00:00Z")), Bounds(calendar.Day(Date("2026-11-26"))));
    }

    [Theory]
    [InlineData("2026-11-26T00:30:00Z", "2026-11-25")]
    [InlineData("2026-11-26T01:59:59Z", "2026-11-25")]
    [InlineData("2026-11-26T02:00:00Z", "2026-11-26")]
    [InlineData("2026-11-26T23:59:59Z", "2026-11-26")]
    [InlineData("2026-11-27T00:00:00Z", "2026-11-27")]
    public void Earlier_reset_hour_leaves_the_current_day_whole_and_shortens_the_first_new_one(string instant, string expected)
    {
        var calendar = BusinessCalendar.For(Changed(TestRules.Paris(3), MadeAt, resetHour: 1));

        Assert.Equal(Date(expected), calendar.BusinessDate(At(instant)));
        Assert.Equal((At("2026-11-25T02:00:00Z"), At("2026-11-26T02:00:00Z")), Bounds(calendar.Day(Date("2026-11-25"))));
        Assert.Equal((At("2026-11-26T02:00:00Z"), At("2026-11-27T00:00:00Z")), Bounds(calendar.Day(Date("2026-11-26"))));
    }

    [Fact]
    public void Zone_moved_west_gives_a_longer_first_day_instead_of_a_day_again()
    {
        // At the switch (02:00 UTC) it is 21:00 on the 25th in New York: the 25th has ended all the same.
        var calendar = BusinessCalendar.For(Changed(TestRules.Paris(3), MadeAt, timeZone: "America/New_York"));

        Assert.Equal(Date("2026-11-26"), calendar.BusinessDate(At("2026-11-26T02:00:00Z")));
        Assert.Equal(Date("2026-11-26"), calendar.BusinessDate(At("2026-11-27T07:59:59Z")));
        Assert.Equal(Date("2026-11-27"), calendar.BusinessDate(At("2026-11-27T08:00:00Z")));
        Assert.Equal((At("2026-11-26T02:00:00Z"), At("2026-11-27T08:00:00Z")), Bounds(calendar.Day(Date("2026-11-26"))));
    }

    [Fact]
    public void Zone_moved_across_the_date_line_leaves_a_day_without_length()
    {
        // Adak (UTC-10) at 03:00 on the 26th is already 03:00 on the 27th in Kiritimati (UTC+14).
        var adak = TestRules.In("America/Adak", 3);
        var calendar = BusinessCalendar.For(Changed(adak, At("2026-11-25T20:00:00Z"), timeZone: "Pacific/Kiritimati"));

        Assert.Equal(Date("2026-11-25"), calendar.BusinessDate(At("2026-11-26T12:59:59Z")));
        Assert.Equal(Date("2026-11-27"), calendar.BusinessDate(At("2026-11-26T13:00:00Z")));
        var skipped = calendar.Day(Date("2026-11-26"));
        Assert.Equal(skipped.Start, skipped.End);
        Assert.Equal(At("2026-11-26T13:00:00Z"), calendar.Day(Date("2026-11-27")).Start);
    }

    [Fact]
    public void Change_on_the_night_clocks_go_forward_starts_the_new_day_after_the_gap()
    {
        // 28 March 2027: Paris skips from 02:00 to 03:00 (CEST, UTC+2); both the old 03:00 and the new 02:00 are 01:00 UTC.
        var calendar = BusinessCalendar.For(Changed(TestRules.Paris(3), At("2027-03-27T10:00:00Z"), resetHour: 2));

        Assert.Equal((At("2027-03-28T01:00:00Z"), At("2027-03-29T00:00:00Z")), Bounds(calendar.Day(Date("2027-03-28"))));
        Assert.Equal(Date("2027-03-27"), calendar.BusinessDate(At("2027-03-28T00:59:59Z")));
        Assert.Equal(Date("2027-03-28"), calendar.BusinessDate(At("2027-03-28T01:00:00Z")));
    }

    [Fact]
    public void Pending_change_can_be_aimed_elsewhere_or_cancelled_before_it_takes_effect()
    {
        var first = Changed(TestRules.Paris(3), MadeAt, resetHour: 5);

        var retargeted = Changed(first, MadeAt.AddHours(2), resetHour: 6);
        var cancelled = Changed(retargeted, MadeAt.AddHours(3), resetHour: 3);

        Assert.Equal(first.CalendarChange, retargeted.CalendarChange);
        Assert.Equal(6, retargeted.ResetHour);
        Assert.Null(cancelled.CalendarChange);
        Assert.Equal(Date("2026-11-26"), BusinessCalendar.For(cancelled).BusinessDate(At("2026-11-26T02:00:00Z")));
    }

    [Fact]
    public void Second_change_on_the_first_day_of_a_new_calendar_is_refused_and_allowed_the_day_after()
    {
        var first = Changed(TestRules.Paris(3), MadeAt, resetHour: 5);

        var (refused, errors) = RulesRevision.Apply(first, first with { ResetHour = 7 }, At("2026-11-26T10:00:00Z"));
        var allowed = Changed(first, At("2026-11-27T04:00:00Z"), resetHour: 7);

        Assert.Null(refused);
        Assert.Contains("2026-11-27T04:00:00", Assert.Single(errors!.Fields["resetHour"]));
        Assert.Equal(new CalendarChange("Europe/Paris", 5, At("2026-11-28T04:00:00Z")), allowed.CalendarChange);
    }

    [Fact]
    public void Change_that_leaves_the_calendar_alone_keeps_the_pending_calendar_change()
    {
        var first = Changed(TestRules.Paris(3), MadeAt, resetHour: 5);

        var (next, _) = RulesRevision.Apply(first, first with { BlockedMccs = ["7995", "6011", "6011"] }, At("2026-11-26T10:00:00Z"));

        Assert.Equal(first.CalendarChange, next!.CalendarChange);
        Assert.Equal(["6011", "7995"], next.BlockedMccs.ToArray());
    }

    [Theory]
    [InlineData("Mars/Olympus_Mons", 3, "EUR", "timeZone")]
    [InlineData("Europe/Paris", 24, "EUR", "resetHour")]
    [InlineData("Europe/Paris", 3, "eur", "currency")]
    public void Invalid_rules_are_refused_field_by_field(string timeZone, int resetHour, string currency, string field)
    {
        var current = TestRules.Paris(3);

        var (next, errors) = RulesRevision.Apply(current, current with { TimeZone = timeZone, ResetHour = resetHour, Currency = currency }, MadeAt);

        Assert.Null(next);
        Assert.Equal([field], errors!.Fields.Keys);
    }

    private static RegionRules Changed(RegionRules current, DateTimeOffset now, int? resetHour = null, string? timeZone = null)
    {
        var (next, errors) = RulesRevision.Apply(
            current, current with { ResetHour = resetHour ?? current.ResetHour, TimeZone = timeZone ?? current.TimeZone }, now);
        Assert.Null(errors);
        return next!;
    }

    private static (DateTimeOffset Start, DateTimeOffset End) Bounds(PeriodBounds bounds) => (bounds.Start, bounds.End);
}
