using Payments.Contracts;
using Payments.Regions;

namespace Payments.Accounts;

/// <summary>The account view as the API answers it, from the account's state: for the grain and for the events alike.</summary>
public static class AccountViews
{
    /// <summary>
    /// The view of <paramref name="state"/> at <paramref name="now"/>: each ceiling's current period and its spending, and
    /// holds that fell due read as released. <paramref name="copy"/> copies the state before that is worked out.
    /// </summary>
    public static AccountView Of(string accountId, AccountState state, RegionRules rules, DateTimeOffset now, Func<AccountState, AccountState> copy)
    {
        var calendar = BusinessCalendar.For(rules);
        var today = calendar.BusinessDate(now);
        var limits = rules.Effective(state.Limits);
        var account = AccountDecisions.AsOf(accountId, state, rules, now, copy);
        return new AccountView(
            accountId, account.Region, account.Currency, account.Status, account.Balance, state.LastSeq,
            new LimitsView(
                limits.PerPayment,
                Period(limits.Daily, account.Daily, calendar.Day(today)),
                Period(limits.Weekly, account.Weekly, calendar.Week(today)),
                Period(limits.Monthly, account.Monthly, calendar.Month(today))),
            account.Held, account.Available, account.Balance < 0);
    }

    private static PeriodView Period(long limit, SpendingCounter counter, PeriodBounds bounds) =>
        new(limit, counter.SpentIn(bounds.Key), bounds.Start, bounds.End);
}
