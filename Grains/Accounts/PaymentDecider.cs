using Payments.Contracts;

namespace Payments.Accounts;

/// <summary>
/// The decision on a payment: pure and synchronous. Given the account, its region's rules, the time and the
/// request, it answers approved or the first decline reason in the contract's order of precedence.
/// </summary>
public static class PaymentDecider
{
    public static PaymentDecision Decide(AccountState account, RegionRules rules, DateTimeOffset now, PaymentRequest request)
    {
        var businessDate = BusinessCalendar.For(rules).BusinessDate(now);
        var reason = FirstDeclineReason(account, rules, businessDate, request.Currency, request.Mcc, request.Amount, request.Amount);
        return reason is null
            ? new PaymentDecision(PaymentStatus.Approved, null, account.Balance - request.Amount, businessDate)
            : new PaymentDecision(PaymentStatus.Declined, reason, account.Balance, businessDate);
    }

    /// <summary>
    /// The first reason, in the contract's order, to refuse <paramref name="amount"/> of new money; null when none.
    /// Decided against what is available (the balance less the holds). <paramref name="total"/> is what the per-payment
    /// ceiling bounds: the amount itself for a payment or an authorization.
    /// </summary>
    public static DeclineReason? FirstDeclineReason(
        AccountState account, RegionRules rules, DateOnly businessDate, string currency, string mcc, long total, long amount)
    {
        var limits = rules.Effective(account.Limits);
        return account switch
        {
            { Status: AccountStatus.Closed } => DeclineReason.AccountClosed,
            { Status: AccountStatus.Frozen } => DeclineReason.AccountFrozen,
            _ when !string.Equals(currency, account.Currency, StringComparison.Ordinal) => DeclineReason.CurrencyMismatch,
            _ when rules.BlockedMccs.Contains(mcc) => DeclineReason.CategoryBlocked,
            _ when total > limits.PerPayment => DeclineReason.PerPaymentLimitExceeded,
            _ when amount > account.Available => DeclineReason.InsufficientFunds,
            _ when Exceeds(account.Daily, businessDate, amount, limits.Daily) => DeclineReason.DailyLimitExceeded,
            _ when Exceeds(account.Weekly, BusinessCalendar.WeekKey(businessDate), amount, limits.Weekly) => DeclineReason.WeeklyLimitExceeded,
            _ when Exceeds(account.Monthly, BusinessCalendar.MonthKey(businessDate), amount, limits.Monthly) => DeclineReason.MonthlyLimitExceeded,
            _ => null,
        };
    }

    /// <summary>The ceilings that <paramref name="amount"/> more, counted now on <paramref name="businessDate"/>, takes past their limit.</summary>
    public static IReadOnlyList<string> Overrun(AccountState account, RegionRules rules, DateOnly businessDate, long amount) =>
        Overrun(account, rules, businessDate, amount, static (counter, period) => counter.SpentIn(period));

    /// <summary>
    /// The ceilings that <paramref name="amount"/> dated on <paramref name="businessDate"/> (an advice, perhaps of a
    /// past day) takes past their limit, against what its periods hold as far as the counters still know.
    /// </summary>
    public static IReadOnlyList<string> DatedOverrun(AccountState account, RegionRules rules, DateOnly businessDate, long amount) =>
        Overrun(account, rules, businessDate, amount, static (counter, period) => counter.SpentInDated(period));

    private static List<string> Overrun(
        AccountState account, RegionRules rules, DateOnly businessDate, long amount, Func<SpendingCounter, DateOnly, long> spent)
    {
        var limits = rules.Effective(account.Limits);
        var over = new List<string>(3);
        if (amount <= 0)
        {
            return over;
        }

        if (checked(spent(account.Daily, businessDate) + amount) > limits.Daily)
        {
            over.Add("daily");
        }

        if (checked(spent(account.Weekly, BusinessCalendar.WeekKey(businessDate)) + amount) > limits.Weekly)
        {
            over.Add("weekly");
        }

        if (checked(spent(account.Monthly, BusinessCalendar.MonthKey(businessDate)) + amount) > limits.Monthly)
        {
            over.Add("monthly");
        }

        return over;
    }

    // Both terms are bounded (amounts by the region's maximum, counters by their ceiling), so the sum cannot
    // overflow; checked all the same, since a wrong sum here would approve an overspend.
    private static bool Exceeds(SpendingCounter counter, DateOnly period, long amount, long limit) =>
        checked(counter.SpentIn(period) + amount) > limit;
}

/// <summary>What <see cref="PaymentDecider"/> decided, and the business day the payment counts in.</summary>
public sealed record PaymentDecision(PaymentStatus Status, DeclineReason? Reason, long BalanceAfter, DateOnly BusinessDate);
