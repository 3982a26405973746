using Payments.Accounts;
using Payments.Grains.Tests.Support;
using static Payments.Grains.Tests.Support.TestRules;
using Payments.Settlement;

namespace Payments.Grains.Tests.Calendar;

/// <summary>When a region's settlement runs: a grace period after each reset, in local time, across DST.</summary>
public sealed class SettlementScheduleTests
{
    private static readonly TimeSpan Grace = TimeSpan.FromMinutes(2);
    private static readonly BusinessCalendar Paris3 = BusinessCalendar.For(TestRules.Paris(3));

    [Theory]
    [InlineData("2026-11-25T10:00:00Z", "2026-11-26T02:02:00Z")]
    [InlineData("2026-11-26T02:01:00Z", "2026-11-26T02:02:00Z")]
    [InlineData("2026-11-26T02:02:00Z", "2026-11-27T02:02:00Z")]
    [InlineData("2026-10-24T10:00:00Z", "2026-10-25T02:02:00Z")]
    [InlineData("2026-10-25T10:00:00Z", "2026-10-26T02:02:00Z")]
    public void Next_run_is_the_grace_after_the_next_local_reset(string now, string expected)
    {
        Assert.Equal(At(expected), SettlementSchedule.NextRun(Paris3, At(now), Grace));
    }

    [Fact]
    public void Day_is_due_once_closed_for_the_grace_period()
    {
        var early = SettlementSchedule.ClosedDays(Paris3, At("2026-11-26T02:01:59Z"), Grace, lookbackDays: 3);
        var due = SettlementSchedule.ClosedDays(Paris3, At("2026-11-26T02:02:00Z"), Grace, lookbackDays: 3);

        Assert.Equal([Date("2026-11-23"), Date("2026-11-24")], early);
        Assert.Equal([Date("2026-11-24"), Date("2026-11-25")], due.TakeLast(2));
        Assert.Equal(3, due.Count);
    }

    [Theory]
    [InlineData("2026-10-24T01:02:00Z")]
    [InlineData("2026-10-25T02:02:00Z")]
    [InlineData("2026-10-26T02:02:00Z")]
    [InlineData("2027-03-28T01:02:00Z")]
    [InlineData("2027-03-29T01:02:00Z")]
    public void Hourly_ticks_stay_on_the_runs_across_days_of_23_and_25_hours(string run)
    {
        Assert.True(SettlementSchedule.IsAligned(Paris3, At(run), Grace));
        Assert.True(SettlementSchedule.IsAligned(Paris3, At(run).AddHours(5), Grace));
    }

    [Fact]
    public void Ticks_are_off_the_runs_in_a_zone_with_a_half_hour_offset()
    {
        var kolkata = BusinessCalendar.For(TestRules.In("Asia/Kolkata", 3));

        Assert.False(SettlementSchedule.IsAligned(kolkata, At("2026-11-26T02:02:00Z"), Grace));
        Assert.True(SettlementSchedule.IsAligned(kolkata, At("2026-11-25T21:32:00Z"), Grace));
    }
}
