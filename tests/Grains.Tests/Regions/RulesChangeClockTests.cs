using Payments.Contracts;
using Payments.Grains.Tests.Cluster;

namespace Payments.Grains.Tests.Regions;

/// <summary>
/// A region changes its reset hour or time zone while its accounts pay, and the fake clock crosses the boundaries.
/// Each test uses a region of its own (Paris, reset at 03:00, when the test starts). Expected instants are computed
/// here from the time zone database, not by the calendar under test; the business dates are read from the ledger.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class RulesChangeClockTests(ClusterFixture cluster) : IClassFixture<ClusterFixture>
{
    private const long Daily = 10_000;
    private static readonly TimeZoneInfo Paris = TimeZoneInfo.FindSystemTimeZoneById("Europe/Paris");
    private static readonly TimeZoneInfo NewYork = TimeZoneInfo.FindSystemTimeZoneById("America/New_York");

    [Fact]
    public async Task Later_reset_hour_lets_the_day_finish_then_stretches_the_first_new_day()
    {
        var (account, d) = await OpenAtElevenAsync("calendar-later");
        var spent = await PayAsync(account, Daily);

        await ChangeAsync("calendar-later", rules => rules with { ResetHour = 5 });
        var lastSecondOfD = await PayAtAsync(account, Local(Paris, d.AddDays(1), 3).AddSeconds(-1), 1);
        var betweenOldAndNewHour = await PayAtAsync(account, Local(Paris, d.AddDays(1), 4, 30), Daily);
        var sameDayAgain = await PayAsync(account, 1);
        var beforeNewReset = await PayAtAsync(account, Local(Paris, d.AddDays(2), 5).AddSeconds(-1), 1);
        var atNewReset = await PayAtAsync(account, Local(Paris, d.AddDays(2), 5), Daily);

        await AssertDecidedAsync(spent, PaymentStatus.Approved, d);
        await AssertDecidedAsync(lastSecondOfD, DeclineReason.DailyLimitExceeded, d);
        await AssertDecidedAsync(betweenOldAndNewHour, PaymentStatus.Approved, d.AddDays(1));
        await AssertDecidedAsync(sameDayAgain, DeclineReason.DailyLimitExceeded, d.AddDays(1));
        await AssertDecidedAsync(beforeNewReset, DeclineReason.DailyLimitExceeded, d.AddDays(1));
        await AssertDecidedAsync(atNewReset, PaymentStatus.Approved, d.AddDays(2));
        await AssertLedgerDatesNeverGoBackAsync(account, 3 * Daily);
        var view = (await account.GetViewAsync())!;
        Assert.Equal((Daily, Local(Paris, d.AddDays(2), 5), Local(Paris, d.AddDays(3), 5)),
            (view.Limits.Daily.Spent, view.Limits.Daily.PeriodStart, view.Limits.Daily.ResetsAt));
    }

    [Fact]
    public async Task Earlier_reset_hour_does_not_cut_the_current_day_short()
    {
        var (account, d) = await OpenAtElevenAsync("calendar-earlier");
        var spent = await PayAsync(account, Daily);

        await ChangeAsync("calendar-earlier", rules => rules with { ResetHour = 1 });
        var afterNewHourBeforeOld = await PayAtAsync(account, Local(Paris, d.AddDays(1), 2), 1);
        var atOldReset = await PayAtAsync(account, Local(Paris, d.AddDays(1), 3), Daily);
        var beforeNewReset = await PayAtAsync(account, Local(Paris, d.AddDays(2), 1).AddSeconds(-1), 1);
        var atNewReset = await PayAtAsync(account, Local(Paris, d.AddDays(2), 1), Daily);

        await AssertDecidedAsync(spent, PaymentStatus.Approved, d);
        await AssertDecidedAsync(afterNewHourBeforeOld, DeclineReason.DailyLimitExceeded, d);
        await AssertDecidedAsync(atOldReset, PaymentStatus.Approved, d.AddDays(1));
        await AssertDecidedAsync(beforeNewReset, DeclineReason.DailyLimitExceeded, d.AddDays(1));
        await AssertDecidedAsync(atNewReset, PaymentStatus.Approved, d.AddDays(2));
        await AssertLedgerDatesNeverGoBackAsync(account, 3 * Daily);
    }

    [Fact]
    public async Task Zone_moved_west_starts_the_new_day_at_the_old_reset_and_ends_it_at_the_new_one()
    {
        var (account, d) = await OpenAtElevenAsync("calendar-west");
        var spent = await PayAsync(account, Daily);

        await ChangeAsync("calendar-west", rules => rules with { TimeZone = "America/New_York" });
        var atOldReset = await PayAtAsync(account, Local(Paris, d.AddDays(1), 3), Daily);
        var parisEvening = await PayAtAsync(account, Local(Paris, d.AddDays(1), 23), 1);
        var beforeNewYorkReset = await PayAtAsync(account, Local(NewYork, d.AddDays(2), 3).AddSeconds(-1), 1);
        var atNewYorkReset = await PayAtAsync(account, Local(NewYork, d.AddDays(2), 3), Daily);

        await AssertDecidedAsync(spent, PaymentStatus.Approved, d);
        await AssertDecidedAsync(atOldReset, PaymentStatus.Approved, d.AddDays(1));
        await AssertDecidedAsync(parisEvening, DeclineReason.DailyLimitExceeded, d.AddDays(1));
        await AssertDecidedAsync(beforeNewYorkReset, DeclineReason.DailyLimitExceeded, d.AddDays(1));
        await AssertDecidedAsync(atNewYorkReset, PaymentStatus.Approved, d.AddDays(2));
        await AssertLedgerDatesNeverGoBackAsync(account, 3 * Daily);
    }

    /// <summary>Moves the clock to the next 11:00 in Paris and opens an account there with a daily ceiling of its own.</summary>
    private async Task<(IAccountGrain Account, DateOnly Today)> OpenAtElevenAsync(string region)
    {
        var local = TimeZoneInfo.ConvertTime(cluster.Clock.GetUtcNow(), Paris);
        var today = DateOnly.FromDateTime(local.DateTime).AddDays(local.Hour < 11 ? 0 : 1);
        cluster.MoveClockTo(Local(Paris, today, 11));
        var account = cluster.Account(ClusterFixture.NewAccountId());
        var opened = await account.OpenAsync(new OpenAccountRequest(region, "EUR", 1_000_000, new AccountLimits(null, Daily, null, null)));
        Assert.Equal(OpenOutcome.Created, opened.Outcome);
        return (account, today);
    }

    private async Task ChangeAsync(string region, Func<RegionRules, RegionRules> change)
    {
        var grain = cluster.Client.GetGrain<IRegionRulesGrain>(region);
        var result = await grain.UpdateRulesAsync(new RulesUpdate(change((await grain.GetRulesAsync())!), "ops"));
        Assert.Equal(RulesUpdateOutcome.Updated, result.Outcome);
        await RulesInForce.WaitForAsync(cluster, region, result.Rules!.Version);
    }

    private async Task<PaymentRecord> PayAtAsync(IAccountGrain account, DateTimeOffset at, long amount)
    {
        cluster.MoveClockTo(at);
        return await PayAsync(account, amount);
    }

    private static async Task<PaymentRecord> PayAsync(IAccountGrain account, long amount)
    {
        var result = await account.PayAsync(new PaymentRequest(amount, "EUR", "Shop", "5411", null));
        Assert.Equal(RecordOutcome.Created, result.Outcome);
        return result.Payment!;
    }

    private async Task AssertLedgerDatesNeverGoBackAsync(IAccountGrain account, long approved)
    {
        var ledger = await LedgerAudit.OfAsync(cluster.Ledger, account.GetPrimaryKeyString());
        var dates = ledger.Rows.Select(row => row.BusinessDate).ToList();
        Assert.Equal(dates.Order(), dates);
        Assert.Equal(approved, ledger.ApprovedSum);
    }

    private async Task AssertDecidedAsync(PaymentRecord payment, PaymentStatus status, DateOnly businessDate)
    {
        Assert.Equal(status, payment.Status);
        Assert.Equal(businessDate, await BusinessDateOfAsync(payment));
    }

    private async Task AssertDecidedAsync(PaymentRecord payment, DeclineReason reason, DateOnly businessDate)
    {
        Assert.Equal(reason, payment.DeclineReason);
        Assert.Equal(businessDate, await BusinessDateOfAsync(payment));
    }

    /// <summary>The business date the ledger row of <paramref name="payment"/> counts in.</summary>
    private async Task<DateOnly> BusinessDateOfAsync(PaymentRecord payment) =>
        (await cluster.Ledger.FindAsync(payment.AccountId, payment.PaymentId, CancellationToken.None))!.BusinessDate;

    private static DateTimeOffset Local(TimeZoneInfo zone, DateOnly date, int hour, int minute = 0) =>
        new(TimeZoneInfo.ConvertTimeToUtc(date.ToDateTime(new TimeOnly(hour, minute)), zone), TimeSpan.Zero);
}
