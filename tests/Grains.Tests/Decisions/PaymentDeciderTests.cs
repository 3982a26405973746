using Payments.Accounts;
using Payments.Contracts;
using Payments.Grains.Tests.Support;

namespace Payments.Grains.Tests.Decisions;

public sealed class PaymentDeciderTests
{
    // Wednesday 25 November 2026, 11:00 in Paris; the business day started at 02:00 UTC.
    private static readonly DateTimeOffset Now = TestRules.Utc(2026, 11, 25, 10);
    private static readonly RegionRules Rules = TestRules.Paris();

    [Fact]
    public void Payment_within_every_ceiling_is_approved()
    {
        var account = DecisionPath.Open(Rules, 10_000);

        var decision = PaymentDecider.Decide(account, Rules, Now, DecisionPath.Payment(2_500));

        Assert.Equal(PaymentStatus.Approved, decision.Status);
        Assert.Null(decision.Reason);
        Assert.Equal(7_500, decision.BalanceAfter);
        Assert.Equal(new DateOnly(2026, 11, 25), decision.BusinessDate);
    }

    [Fact]
    public void Deciding_changes_nothing_until_the_entry_is_applied()
    {
        var account = DecisionPath.Open(Rules, 10_000);

        PaymentDecider.Decide(account, Rules, Now, DecisionPath.Payment(2_500));

        Assert.Equal(10_000, account.Balance);
        Assert.Equal(1, account.LastSeq);
        Assert.Equal(0, account.Daily.SpentIn(new DateOnly(2026, 11, 25)));
    }

    [Fact]
    public void Payment_of_exactly_the_balance_is_approved_and_leaves_zero()
    {
        var account = DecisionPath.Open(Rules, 10_000);

        var decision = DecisionPath.Pay(account, Rules, Now, 10_000);

        Assert.Equal(PaymentStatus.Approved, decision.Status);
        Assert.Equal(0, account.Balance);
    }

    [Fact]
    public void Payment_on_a_closed_account_is_declined()
    {
        var account = DecisionPath.Open(Rules, 10_000);
        DecisionPath.Update(account, Rules, Now, new AccountUpdate(null, AccountStatus.Closed));

        AssertDeclined(DeclineReason.AccountClosed, account, DecisionPath.Payment(100));
    }

    [Fact]
    public void Payment_on_a_frozen_account_is_declined()
    {
        var account = DecisionPath.Open(Rules, 10_000);
        DecisionPath.Update(account, Rules, Now, new AccountUpdate(null, AccountStatus.Frozen));

        AssertDeclined(DeclineReason.AccountFrozen, account, DecisionPath.Payment(100));
    }

    [Fact]
    public void Payment_in_another_currency_is_declined()
    {
        AssertDeclined(DeclineReason.CurrencyMismatch, DecisionPath.Open(Rules, 10_000), DecisionPath.Payment(100, currency: "USD"));
    }

    [Fact]
    public void Payment_in_a_blocked_category_is_declined()
    {
        AssertDeclined(DeclineReason.CategoryBlocked, DecisionPath.Open(Rules, 10_000), DecisionPath.Payment(100, TestRules.BlockedMcc));
    }

    [Fact]
    public void Payment_over_the_per_payment_ceiling_is_declined()
    {
        var account = DecisionPath.Open(Rules, 1_000_000);

        AssertDeclined(DeclineReason.PerPaymentLimitExceeded, account, DecisionPath.Payment(50_001));
        Assert.Equal(PaymentStatus.Approved, PaymentDecider.Decide(account, Rules, Now, DecisionPath.Payment(50_000)).Status);
    }

    [Fact]
    public void Payment_over_the_balance_is_declined()
    {
        AssertDeclined(DeclineReason.InsufficientFunds, DecisionPath.Open(Rules, 999), DecisionPath.Payment(1_000));
    }

    [Fact]
    public void Payment_over_daily_ceiling_is_declined()
    {
        var account = DecisionPath.Open(Rules, 1_000_000, new AccountLimits(null, 3_000, null, null));
        DecisionPath.Pay(account, Rules, Now, 2_000);

        AssertDeclined(DeclineReason.DailyLimitExceeded, account, DecisionPath.Payment(1_001));
        Assert.Equal(PaymentStatus.Approved, DecisionPath.Pay(account, Rules, Now, 1_000).Status);
    }

    [Fact]
    public void Payment_over_weekly_ceiling_is_declined()
    {
        var account = DecisionPath.Open(Rules, 1_000_000, new AccountLimits(null, 5_000, 8_000, null));
        DecisionPath.Pay(account, Rules, Now.AddDays(-1), 5_000);

        AssertDeclined(DeclineReason.WeeklyLimitExceeded, account, DecisionPath.Payment(3_001));
        Assert.Equal(PaymentStatus.Approved, DecisionPath.Pay(account, Rules, Now, 3_000).Status);
    }

    [Fact]
    public void Payment_over_monthly_ceiling_is_declined()
    {
        var account = DecisionPath.Open(Rules, 1_000_000, new AccountLimits(null, 5_000, 5_000, 8_000));
        DecisionPath.Pay(account, Rules, Now.AddDays(-10), 5_000);

        AssertDeclined(DeclineReason.MonthlyLimitExceeded, account, DecisionPath.Payment(3_001));
    }

    [Fact]
    public void Region_default_ceilings_apply_where_the_account_sets_none()
    {
        var account = DecisionPath.Open(Rules, 1_000_000);
        DecisionPath.Pay(account, Rules, Now, 50_000);
        DecisionPath.Pay(account, Rules, Now, 50_000);

        AssertDeclined(DeclineReason.DailyLimitExceeded, account, DecisionPath.Payment(1));
    }

    public static TheoryData<DeclineReason> Reasons() => [.. Enum.GetValues<DeclineReason>()];

    /// <summary>
    /// Builds an account for which every reason from <paramref name="expected"/> down the contract's order applies,
    /// and none above it: the decision must name <paramref name="expected"/>.
    /// </summary>
    [Theory]
    [MemberData(nameof(Reasons))]
    public void Highest_applicable_reason_wins_when_several_apply(DeclineReason expected)
    {
        // Spent so far: 1,000 each in this month, this week and today; the ceilings sit just above it so that the
        // 2,000 payment breaks every one of them that is in play.
        var applies = (DeclineReason reason) => reason >= expected;
        var limits = new AccountLimits(
            PerPayment: applies(DeclineReason.PerPaymentLimitExceeded) ? 1_500 : 50_000,
            Daily: applies(DeclineReason.DailyLimitExceeded) ? 2_500 : 50_000,
            Weekly: applies(DeclineReason.WeeklyLimitExceeded) ? 2_500 : 50_000,
            Monthly: applies(DeclineReason.MonthlyLimitExceeded) ? 2_500 : 50_000);
        var account = DecisionPath.Open(Rules, applies(DeclineReason.InsufficientFunds) ? 2_999 : 100_000);
        DecisionPath.Pay(account, Rules, Now, 1_000);
        DecisionPath.Update(account, Rules, Now, new AccountUpdate(limits, null));
        if (applies(DeclineReason.AccountFrozen))
        {
            DecisionPath.Update(account, Rules, Now, new AccountUpdate(null, AccountStatus.Frozen));
        }

        if (applies(DeclineReason.AccountClosed))
        {
            DecisionPath.Update(account, Rules, Now, new AccountUpdate(null, AccountStatus.Closed));
        }

        var request = DecisionPath.Payment(
            2_000,
            applies(DeclineReason.CategoryBlocked) ? TestRules.BlockedMcc : TestRules.GroceryMcc,
            applies(DeclineReason.CurrencyMismatch) ? "USD" : "EUR");

        AssertDeclined(expected, account, request);
    }

    [Fact]
    public void Declined_payment_leaves_balance_and_counters_as_they_were()
    {
        var account = DecisionPath.Open(Rules, 10_000, new AccountLimits(null, 3_000, null, null));
        DecisionPath.Pay(account, Rules, Now, 2_000);

        var (decision, entry) = DecisionPath.Pay(account, Rules, Now, DecisionPath.Payment(1_500));

        Assert.Equal(PaymentStatus.Declined, decision.Status);
        Assert.Equal(8_000, entry.BalanceAfter);
        Assert.Equal(8_000, account.Balance);
        Assert.Equal(2_000, account.Daily.SpentIn(new DateOnly(2026, 11, 25)));
        Assert.Equal(3, account.LastSeq);
    }

    [Fact]
    public void Amount_spent_yesterday_does_not_count_today()
    {
        var account = DecisionPath.Open(Rules, 1_000_000, new AccountLimits(null, 3_000, null, null));
        DecisionPath.Pay(account, Rules, Now, 3_000);
        AssertDeclined(DeclineReason.DailyLimitExceeded, account, DecisionPath.Payment(1), Now);

        // Nothing resets anything: only the clock moves.
        var tomorrow = Now.AddDays(1);

        Assert.Equal(PaymentStatus.Approved, PaymentDecider.Decide(account, Rules, tomorrow, DecisionPath.Payment(3_000)).Status);
    }

    [Fact]
    public void Daily_ceiling_frees_up_exactly_at_the_reset_hour()
    {
        var account = DecisionPath.Open(Rules, 1_000_000, new AccountLimits(null, 3_000, null, null));
        DecisionPath.Pay(account, Rules, Now, 3_000);
        var nextReset = TestRules.Utc(2026, 11, 26, 2);

        AssertDeclined(DeclineReason.DailyLimitExceeded, account, DecisionPath.Payment(1), nextReset.AddTicks(-1));
        Assert.Equal(PaymentStatus.Approved, PaymentDecider.Decide(account, Rules, nextReset, DecisionPath.Payment(1)).Status);
    }

    [Fact]
    public void Weekly_counter_survives_a_day_change()
    {
        var account = DecisionPath.Open(Rules, 1_000_000, new AccountLimits(null, 5_000, 6_000, null));
        DecisionPath.Pay(account, Rules, Now, 5_000);

        var thursday = Now.AddDays(1);

        AssertDeclined(DeclineReason.WeeklyLimitExceeded, account, DecisionPath.Payment(1_001), thursday);
        Assert.Equal(PaymentStatus.Approved, PaymentDecider.Decide(account, Rules, thursday, DecisionPath.Payment(1_000)).Status);
    }

    [Fact]
    public void Weekly_counter_resets_on_monday_at_the_reset_hour()
    {
        var account = DecisionPath.Open(Rules, 1_000_000, new AccountLimits(null, 5_000, 6_000, null));
        DecisionPath.Pay(account, Rules, Now, 5_000);
        var mondayReset = TestRules.Utc(2026, 11, 30, 2);

        AssertDeclined(DeclineReason.WeeklyLimitExceeded, account, DecisionPath.Payment(1_001), mondayReset.AddMinutes(-1));
        Assert.Equal(PaymentStatus.Approved, PaymentDecider.Decide(account, Rules, mondayReset, DecisionPath.Payment(5_000)).Status);
    }

    [Fact]
    public void Monthly_counter_survives_a_week_change_but_not_the_first_at_the_reset_hour()
    {
        var account = DecisionPath.Open(Rules, 1_000_000, new AccountLimits(null, 5_000, 5_000, 6_000));
        DecisionPath.Pay(account, Rules, TestRules.Utc(2026, 11, 20, 10), 5_000);
        var firstReset = TestRules.Utc(2026, 12, 1, 2);

        AssertDeclined(DeclineReason.MonthlyLimitExceeded, account, DecisionPath.Payment(1_001), Now);
        AssertDeclined(DeclineReason.MonthlyLimitExceeded, account, DecisionPath.Payment(1_001), firstReset.AddMinutes(-1));
        Assert.Equal(PaymentStatus.Approved, PaymentDecider.Decide(account, Rules, firstReset, DecisionPath.Payment(5_000)).Status);
    }

    [Fact]
    public void Payment_counts_in_the_business_day_of_its_decision_not_of_its_calendar_date()
    {
        // 01:30 UTC on Thursday is 02:30 in Paris: still Wednesday's business day.
        var account = DecisionPath.Open(Rules, 1_000_000, new AccountLimits(null, 3_000, null, null));
        var lateNight = TestRules.Utc(2026, 11, 26, 1, 30);

        var (_, entry) = DecisionPath.Pay(account, Rules, lateNight, DecisionPath.Payment(3_000));

        Assert.Equal(new DateOnly(2026, 11, 25), entry.BusinessDate);
        AssertDeclined(DeclineReason.DailyLimitExceeded, account, DecisionPath.Payment(1), Now);
    }

    [Fact]
    public void Lowering_a_ceiling_below_what_was_spent_declines_the_rest_of_the_period()
    {
        var account = DecisionPath.Open(Rules, 1_000_000);
        DecisionPath.Pay(account, Rules, Now, 40_000);
        DecisionPath.Update(account, Rules, Now, new AccountUpdate(new AccountLimits(null, 30_000, null, null), null));

        AssertDeclined(DeclineReason.DailyLimitExceeded, account, DecisionPath.Payment(1));
    }

    private static void AssertDeclined(
        DeclineReason expected, AccountState account, PaymentRequest request, DateTimeOffset? at = null)
    {
        var decision = PaymentDecider.Decide(account, Rules, at ?? Now, request);
        Assert.Equal(PaymentStatus.Declined, decision.Status);
        Assert.Equal(expected, decision.Reason);
        Assert.Equal(account.Balance, decision.BalanceAfter);
    }
}
