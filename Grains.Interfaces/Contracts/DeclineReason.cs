namespace Payments.Contracts;

/// <summary>Why a payment was declined, in the contract's order of precedence.</summary>
public enum DeclineReason
{
    AccountClosed = 1,
    AccountFrozen = 2,
    CurrencyMismatch = 3,
    CategoryBlocked = 4,
    PerPaymentLimitExceeded = 5,
    InsufficientFunds = 6,
    DailyLimitExceeded = 7,
    WeeklyLimitExceeded = 8,
    MonthlyLimitExceeded = 9,
}
