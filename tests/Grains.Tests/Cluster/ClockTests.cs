using Payments.Contracts;

namespace Payments.Grains.Tests.Cluster;

/// <summary>Ceilings reset because time passes, not because anything runs: only the fake clock moves here.</summary>
[Collection(ClusterCollection.Name)]
public sealed class ClockTests(ClusterFixture cluster) : IClassFixture<ClusterFixture>
{
    [Fact]
    public async Task Daily_ceiling_spent_today_is_available_again_after_the_next_reset()
    {
        var account = await cluster.OpenAsync(1_000_000, new AccountLimits(null, 10_000, null, null));
        Assert.Equal(PaymentStatus.Approved, await PayAsync(account, 10_000));
        Assert.Equal(PaymentStatus.Declined, await PayAsync(account, 1));
        var reset = cluster.NextReset();

        // No call and no job between the last payment and the next one: only the clock moves.
        cluster.MoveClockTo(reset.AddMinutes(1));
        var result = await account.PayAsync(Payment(10_000));

        Assert.Equal(PaymentStatus.Approved, result.Payment!.Status);
        var view = (await account.GetViewAsync())!;
        Assert.Equal(10_000, view.Limits.Daily.Spent);
        Assert.Equal(reset, view.Limits.Daily.PeriodStart);
        Assert.Equal(cluster.Calendar.Day(cluster.Calendar.BusinessDate(reset)).End, view.Limits.Daily.ResetsAt);
        Assert.Equal(1_000_000 - 20_000, view.Balance);
    }

    [Fact]
    public async Task Daily_ceiling_frees_up_at_the_reset_instant_and_not_a_second_before()
    {
        var account = await cluster.OpenAsync(1_000_000, new AccountLimits(null, 10_000, null, null));
        await PayAsync(account, 10_000);
        var reset = cluster.NextReset();

        cluster.MoveClockTo(reset.AddSeconds(-1));
        var before = await account.PayAsync(Payment(1));
        cluster.MoveClockTo(reset);
        var at = await account.PayAsync(Payment(10_000));

        Assert.Equal(DeclineReason.DailyLimitExceeded, before.Payment!.DeclineReason);
        Assert.Equal(PaymentStatus.Approved, at.Payment!.Status);
    }

    [Fact]
    public async Task Weekly_ceiling_survives_day_changes_and_resets_on_monday_at_the_reset_hour()
    {
        var account = await cluster.OpenAsync(1_000_000, new AccountLimits(null, 10_000, 15_000, null));
        var monday = NextMondayResetAtLeastTwoDaysAway();
        cluster.MoveClockTo(monday.AddDays(-2));

        var saturday = await PayAsync(account, 10_000);
        cluster.MoveClockTo(monday.AddDays(-1));
        var sundayOverWeek = await account.PayAsync(Payment(10_000));
        var sundayToWeek = await PayAsync(account, 5_000);
        cluster.MoveClockTo(monday.AddMinutes(-1));
        var mondayEarly = await account.PayAsync(Payment(1));
        cluster.MoveClockTo(monday);
        var mondayAtReset = await PayAsync(account, 10_000);

        Assert.Equal(PaymentStatus.Approved, saturday);
        Assert.Equal(DeclineReason.WeeklyLimitExceeded, sundayOverWeek.Payment!.DeclineReason);
        Assert.Equal(PaymentStatus.Approved, sundayToWeek);
        Assert.Equal(DeclineReason.WeeklyLimitExceeded, mondayEarly.Payment!.DeclineReason);
        Assert.Equal(PaymentStatus.Approved, mondayAtReset);
        var view = (await account.GetViewAsync())!;
        Assert.Equal((10_000L, monday), (view.Limits.Weekly.Spent, view.Limits.Weekly.PeriodStart));
        Assert.Equal(DayOfWeek.Monday, TimeZoneInfo.ConvertTime(view.Limits.Weekly.ResetsAt, TimeZoneInfo.FindSystemTimeZoneById("Europe/Paris")).DayOfWeek);
    }

    [Fact]
    public async Task View_of_an_idle_account_shows_nothing_spent_once_its_period_has_passed()
    {
        var account = await cluster.OpenAsync(1_000_000);
        await PayAsync(account, 7_000);

        cluster.MoveClockTo(cluster.NextReset());
        var view = (await account.GetViewAsync())!;

        Assert.Equal(0, view.Limits.Daily.Spent);
        Assert.Equal(cluster.Clock.GetUtcNow(), view.Limits.Daily.PeriodStart);
        Assert.Equal(993_000, view.Balance);
    }

    private DateTimeOffset NextMondayResetAtLeastTwoDaysAway()
    {
        var now = cluster.Clock.GetUtcNow();
        var monday = cluster.Calendar.Week(cluster.Calendar.BusinessDate(now)).End;
        return monday.AddDays(-2) > now ? monday : cluster.Calendar.Week(cluster.Calendar.BusinessDate(monday)).End;
    }

    private static PaymentRequest Payment(long amount) => new(amount, "EUR", "Shop", "5411", null);

    private static async Task<PaymentStatus> PayAsync(IAccountGrain account, long amount) =>
        (await account.PayAsync(Payment(amount))).Payment!.Status;
}
