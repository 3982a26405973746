using System.Globalization;
using Payments.Accounts;
using Payments.Grains.Tests.Support;

namespace Payments.Grains.Tests.Calendar;

public sealed class BusinessCalendarTests
{
    private static readonly BusinessCalendar Paris3 = BusinessCalendar.For(TestRules.Paris(3));
    private static readonly BusinessCalendar Paris2 = BusinessCalendar.For(TestRules.Paris(2));

    [Theory]
    [InlineData("2026-11-25T01:59:59Z", "2026-11-24")]
    [InlineData("2026-11-25T02:00:00Z", "2026-11-25")]
    [InlineData("2026-11-25T23:30:00Z", "2026-11-25")]
    [InlineData("2026-11-26T01:59:59Z", "2026-11-25")]
    [InlineData("2026-07-14T00:59:59Z", "2026-07-13")]
    [InlineData("2026-07-14T01:00:00Z", "2026-07-14")]
    public void Business_date_changes_at_the_reset_hour_in_the_region_zone(string instant, string expected)
    {
        Assert.Equal(Date(expected), Paris3.BusinessDate(At(instant)));
    }

    [Fact]
    public void Winter_day_runs_from_reset_to_reset_in_local_time()
    {
        var day = Paris3.Day(Date("2026-11-25"));

        Assert.Equal(Date("2026-11-25"), day.Key);
        Assert.Equal(At("2026-11-25T02:00:00Z"), day.Start);
        Assert.Equal(At("2026-11-26T02:00:00Z"), day.End);
    }

    [Fact]
    public void Summer_day_starts_an_hour_earlier_in_utc()
    {
        var day = Paris3.Day(Date("2026-07-14"));

        Assert.Equal(At("2026-07-14T01:00:00Z"), day.Start);
        Assert.Equal(At("2026-07-15T01:00:00Z"), day.End);
    }

    [Theory]
    [InlineData("2026-11-23", "2026-11-23")]
    [InlineData("2026-11-25", "2026-11-23")]
    [InlineData("2026-11-29", "2026-11-23")]
    [InlineData("2026-11-30", "2026-11-30")]
    [InlineData("2027-01-01", "2026-12-28")]
    public void Week_is_keyed_by_its_monday(string businessDate, string monday)
    {
        Assert.Equal(Date(monday), BusinessCalendar.WeekKey(Date(businessDate)));
        Assert.Equal(DayOfWeek.Monday, BusinessCalendar.WeekKey(Date(businessDate)).DayOfWeek);
    }

    [Fact]
    public void Week_starts_on_monday_at_the_reset_hour()
    {
        var week = Paris3.Week(Date("2026-11-25"));

        Assert.Equal(Date("2026-11-23"), week.Key);
        Assert.Equal(At("2026-11-23T02:00:00Z"), week.Start);
        Assert.Equal(At("2026-11-30T02:00:00Z"), week.End);
    }

    [Fact]
    public void Monday_before_the_reset_hour_still_belongs_to_the_previous_week()
    {
        var justBefore = Paris3.BusinessDate(At("2026-11-30T01:59:00Z"));
        var atReset = Paris3.BusinessDate(At("2026-11-30T02:00:00Z"));

        Assert.Equal(Date("2026-11-29"), justBefore);
        Assert.Equal(Date("2026-11-23"), BusinessCalendar.WeekKey(justBefore));
        Assert.Equal(Date("2026-11-30"), BusinessCalendar.WeekKey(atReset));
    }

    [Fact]
    public void Month_starts_on_the_first_at_the_reset_hour()
    {
        var month = Paris3.Month(Date("2026-11-25"));

        Assert.Equal(Date("2026-11-01"), month.Key);
        Assert.Equal(At("2026-11-01T02:00:00Z"), month.Start);
        Assert.Equal(At("2026-12-01T02:00:00Z"), month.End);
    }

    [Fact]
    public void First_of_the_month_before_the_reset_hour_still_belongs_to_the_previous_month()
    {
        var justBefore = Paris3.BusinessDate(At("2026-12-01T01:59:00Z"));

        Assert.Equal(Date("2026-11-30"), justBefore);
        Assert.Equal(Date("2026-11-01"), BusinessCalendar.MonthKey(justBefore));
        Assert.Equal(Date("2026-12-01"), BusinessCalendar.MonthKey(Paris3.BusinessDate(At("2026-12-01T02:00:00Z"))));
    }

    [Fact]
    public void Month_that_spans_the_autumn_change_is_an_hour_longer()
    {
        var october = Paris3.Month(Date("2026-10-10"));

        Assert.Equal(At("2026-10-01T01:00:00Z"), october.Start);
        Assert.Equal(At("2026-11-01T02:00:00Z"), october.End);
        Assert.Equal(TimeSpan.FromHours((31 * 24) + 1), october.End - october.Start);
    }

    [Fact]
    public void Spring_change_makes_a_23_hour_business_day_with_reset_hour_3()
    {
        // Clocks jump from 02:00 to 03:00 on Sunday 29 March: the business day that spans the night loses an hour.
        var saturday = Paris3.Day(Date("2026-03-28"));
        var sunday = Paris3.Day(Date("2026-03-29"));

        Assert.Equal(At("2026-03-28T02:00:00Z"), saturday.Start);
        Assert.Equal(At("2026-03-29T01:00:00Z"), saturday.End);
        Assert.Equal(TimeSpan.FromHours(23), saturday.End - saturday.Start);
        Assert.Equal(TimeSpan.FromHours(24), sunday.End - sunday.Start);
    }

    [Fact]
    public void Spring_change_makes_a_23_hour_business_day_with_reset_hour_2()
    {
        var saturday = Paris2.Day(Date("2026-03-28"));
        var sunday = Paris2.Day(Date("2026-03-29"));

        Assert.Equal(TimeSpan.FromHours(24), saturday.End - saturday.Start);
        Assert.Equal(At("2026-03-29T01:00:00Z"), sunday.Start);
        Assert.Equal(At("2026-03-30T00:00:00Z"), sunday.End);
        Assert.Equal(TimeSpan.FromHours(23), sunday.End - sunday.Start);
    }

    [Fact]
    public void Autumn_change_makes_a_25_hour_business_day_with_reset_hour_3()
    {
        // Clocks go back from 03:00 to 02:00 on Sunday 25 October.
        var saturday = Paris3.Day(Date("2026-10-24"));
        var sunday = Paris3.Day(Date("2026-10-25"));

        Assert.Equal(At("2026-10-24T01:00:00Z"), saturday.Start);
        Assert.Equal(At("2026-10-25T02:00:00Z"), saturday.End);
        Assert.Equal(TimeSpan.FromHours(25), saturday.End - saturday.Start);
        Assert.Equal(TimeSpan.FromHours(24), sunday.End - sunday.Start);
    }

    [Fact]
    public void Autumn_change_makes_a_25_hour_business_day_with_reset_hour_2()
    {
        var saturday = Paris2.Day(Date("2026-10-24"));
        var sunday = Paris2.Day(Date("2026-10-25"));

        Assert.Equal(TimeSpan.FromHours(24), saturday.End - saturday.Start);
        Assert.Equal(At("2026-10-25T00:00:00Z"), sunday.Start);
        Assert.Equal(At("2026-10-26T01:00:00Z"), sunday.End);
        Assert.Equal(TimeSpan.FromHours(25), sunday.End - sunday.Start);
    }

    [Fact]
    public void Reset_hour_in_the_spring_gap_happens_at_the_first_instant_after_it()
    {
        // 02:00 does not exist in Paris on 29 March 2026; 03:00 CEST (01:00 UTC) is the first instant after the gap.
        Assert.Equal(At("2026-03-29T01:00:00Z"), Paris2.DayStart(Date("2026-03-29")));
        Assert.Equal(Date("2026-03-28"), Paris2.BusinessDate(At("2026-03-29T00:59:59Z")));
        Assert.Equal(Date("2026-03-29"), Paris2.BusinessDate(At("2026-03-29T01:00:00Z")));
    }

    [Fact]
    public void Reset_hour_that_occurs_twice_happens_at_its_first_occurrence()
    {
        // 02:00 happens twice in Paris on 25 October 2026: first in CEST (00:00 UTC), then in CET (01:00 UTC).
        Assert.Equal(At("2026-10-25T00:00:00Z"), Paris2.DayStart(Date("2026-10-25")));
        Assert.Equal(Date("2026-10-24"), Paris2.BusinessDate(At("2026-10-24T23:59:59Z")));
        Assert.Equal(Date("2026-10-25"), Paris2.BusinessDate(At("2026-10-25T00:00:00Z")));
        Assert.Equal(Date("2026-10-25"), Paris2.BusinessDate(At("2026-10-25T01:30:00Z")));
    }

    [Fact]
    public void Week_that_spans_the_spring_change_is_an_hour_shorter()
    {
        var week = Paris3.Week(Date("2026-03-29"));

        Assert.Equal(Date("2026-03-23"), week.Key);
        Assert.Equal(At("2026-03-23T02:00:00Z"), week.Start);
        Assert.Equal(At("2026-03-30T01:00:00Z"), week.End);
        Assert.Equal(TimeSpan.FromHours((7 * 24) - 1), week.End - week.Start);
    }

    [Fact]
    public void New_york_spring_gap_moves_the_reset_to_three_o_clock_daylight_time()
    {
        var calendar = BusinessCalendar.For(TestRules.In("America/New_York", 2));
        var sunday = calendar.Day(Date("2026-03-08"));

        Assert.Equal(At("2026-03-08T07:00:00Z"), sunday.Start);
        Assert.Equal(At("2026-03-09T06:00:00Z"), sunday.End);
        Assert.Equal(TimeSpan.FromHours(23), sunday.End - sunday.Start);
    }

    [Fact]
    public void New_york_repeated_hour_resets_at_its_first_occurrence()
    {
        // 01:00 happens twice on 1 November 2026: in EDT (05:00 UTC), then in EST (06:00 UTC).
        var calendar = BusinessCalendar.For(TestRules.In("America/New_York", 1));
        var sunday = calendar.Day(Date("2026-11-01"));

        Assert.Equal(At("2026-11-01T05:00:00Z"), sunday.Start);
        Assert.Equal(At("2026-11-02T06:00:00Z"), sunday.End);
        Assert.Equal(TimeSpan.FromHours(25), sunday.End - sunday.Start);
        Assert.Equal(Date("2026-11-01"), calendar.BusinessDate(At("2026-11-01T06:30:00Z")));
    }

    [Fact]
    public void New_york_week_starts_monday_at_the_reset_hour_in_eastern_time()
    {
        var calendar = BusinessCalendar.For(TestRules.In("America/New_York", 2));
        var week = calendar.Week(Date("2026-11-25"));

        Assert.Equal(Date("2026-11-23"), week.Key);
        Assert.Equal(At("2026-11-23T07:00:00Z"), week.Start);
        Assert.Equal(Date("2026-11-22"), calendar.BusinessDate(At("2026-11-23T06:59:00Z")));
    }

    [Fact]
    public void Lord_howe_half_hour_spring_gap_gives_a_23_and_a_half_hour_day()
    {
        // Lord Howe Island moves from +10:30 to +11:00 at 02:00 on 4 October 2026: 02:00 becomes 02:30.
        var calendar = BusinessCalendar.For(TestRules.In("Australia/Lord_Howe", 2));
        var sunday = calendar.Day(Date("2026-10-04"));

        Assert.Equal(At("2026-10-03T15:30:00Z"), sunday.Start);
        Assert.Equal(At("2026-10-04T15:00:00Z"), sunday.End);
        Assert.Equal(TimeSpan.FromHours(23.5), sunday.End - sunday.Start);
    }

    [Fact]
    public void Lord_howe_half_hour_autumn_change_gives_a_24_and_a_half_hour_day()
    {
        // Back from +11:00 to +10:30 at 02:00 on 5 April 2026: 01:30 to 02:00 happens twice.
        var calendar = BusinessCalendar.For(TestRules.In("Australia/Lord_Howe", 1));
        var sunday = calendar.Day(Date("2026-04-05"));

        Assert.Equal(At("2026-04-04T14:00:00Z"), sunday.Start);
        Assert.Equal(At("2026-04-05T14:30:00Z"), sunday.End);
        Assert.Equal(TimeSpan.FromHours(24.5), sunday.End - sunday.Start);
    }

    [Theory]
    [InlineData("Europe/Paris", 3)]
    [InlineData("Europe/Paris", 2)]
    [InlineData("America/New_York", 2)]
    [InlineData("America/New_York", 1)]
    [InlineData("Australia/Lord_Howe", 2)]
    [InlineData("UTC", 0)]
    public void Days_tile_the_year_without_gap_or_overlap(string zone, int resetHour)
    {
        var calendar = BusinessCalendar.For(TestRules.In(zone, resetHour));
        var day = Date("2026-01-01");
        var previous = calendar.Day(day);
        for (var i = 0; i < 366; i++)
        {
            day = day.AddDays(1);
            var current = calendar.Day(day);
            Assert.Equal(previous.End, current.Start);
            Assert.InRange(current.End - current.Start, TimeSpan.FromHours(23), TimeSpan.FromHours(25));
            Assert.Equal(day, calendar.BusinessDate(current.Start));
            Assert.Equal(day, calendar.BusinessDate(current.End.AddTicks(-1)));
            Assert.Equal(day.AddDays(-1), calendar.BusinessDate(current.Start.AddTicks(-1)));
            previous = current;
        }
    }

    [Fact]
    public void Reset_hour_outside_a_day_is_refused()
    {
        var zone = TimeZoneInfo.FindSystemTimeZoneById("Europe/Paris");

        Assert.Throws<ArgumentOutOfRangeException>(() => new BusinessCalendar(zone, 24));
        Assert.Throws<ArgumentOutOfRangeException>(() => new BusinessCalendar(zone, -1));
    }

    private static DateTimeOffset At(string instant) =>
        DateTimeOffset.Parse(instant, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);

    private static DateOnly Date(string date) => DateOnly.ParseExact(date, "yyyy-MM-dd", CultureInfo.InvariantCulture);
}
