using Payments.Contracts;
using Payments.Regions;

namespace Payments.Accounts;

/// <summary>The account view as the API answers it, from the account's state: for the grain and for the events alike.</summary>
public static class AccountViews
{
    /// <summary>The view of <paramref name="state"/> at <paramref name="now"/>: each ceiling's current period and its spending.</summary>
    public static AccountView Of(string accountId, AccountState state, RegionRules rules, DateTimeOffset now)
    {
        var calendar = BusinessCalendar.For(rules);
        var today = calendar.BusinessDate(now);
        var limits = rules.Effective(state.Limits);
        return new AccountView(
            accountId, state.Region, state.Currency, state.Status, state.Balance, state.LastSeq,
            new LimitsView(
                limits.PerPayment,
                Period(limits.Daily, state.Daily, calendar.Day(today)),
                Period(limits.Weekly, state.Weekly, calendar.Week(today)),
                Period(limits.Monthly, state.Monthly, calendar.Month(today))));
    }

    private static PeriodView Period(long limit, SpendingCounter counter, PeriodBounds bounds) =>
        new(limit, counter.SpentIn(bounds.Key), bounds.Start, bounds.End);
}
