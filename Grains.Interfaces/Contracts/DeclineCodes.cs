using System.Collections.Frozen;

namespace Payments.Contracts;

/// <summary>The stable snake_case codes of <see cref="DeclineReason"/>, as the API and the ledger write them.</summary>
public static class DeclineCodes
{
    private static readonly FrozenDictionary<DeclineReason, string> Codes = new Dictionary<DeclineReason, string>
    {
        [DeclineReason.AccountClosed] = "account_closed",
        [DeclineReason.AccountFrozen] = "account_frozen",
        [DeclineReason.CurrencyMismatch] = "currency_mismatch",
        [DeclineReason.CategoryBlocked] = "category_blocked",
        [DeclineReason.PerPaymentLimitExceeded] = "per_payment_limit_exceeded",
        [DeclineReason.InsufficientFunds] = "insufficient_funds",
        [DeclineReason.DailyLimitExceeded] = "daily_limit_exceeded",
        [DeclineReason.WeeklyLimitExceeded] = "weekly_limit_exceeded",
        [DeclineReason.MonthlyLimitExceeded] = "monthly_limit_exceeded",
    }.ToFrozenDictionary();

    private static readonly FrozenDictionary<string, DeclineReason> Reasons =
        Codes.ToFrozenDictionary(pair => pair.Value, pair => pair.Key, StringComparer.Ordinal);

    public static string ToCode(DeclineReason reason) => Codes[reason];

    public static DeclineReason Parse(string code) => Reasons[code];
}
