using Payments.Contracts;

namespace Payments.Accounts;

/// <summary>
/// What makes a request malformed once the account and its region are known. A refused request records nothing
/// (the API has already checked formats: ids, currency codes, MCCs, text lengths).
/// </summary>
public static class AccountValidation
{
    public static ValidationErrors? ForOpen(RegionRules rules, OpenAccountRequest request) =>
        !string.Equals(request.Currency, rules.Currency, StringComparison.Ordinal)
            ? ValidationErrors.Of("currency", $"The region's accounts are held in {rules.Currency}.")
            : request.InitialBalance < 0
                ? ValidationErrors.Of("initialBalance", "The initial balance cannot be negative.")
                : ForLimits(request.Limits);

    public static ValidationErrors? ForPayment(RegionRules rules, PaymentRequest request) => ForAmount(rules, request.Amount);

    /// <summary>The amount of a payment, an authorization, an increment, a capture or an advice.</summary>
    public static ValidationErrors? ForAmount(RegionRules rules, long amount) =>
        amount <= 0 || amount > rules.MaxPerPayment
            ? ValidationErrors.Of("amount", $"Amount must be between 1 and {rules.MaxPerPayment} minor units.")
            : null;

    public static ValidationErrors? ForRefund(AccountState account, RegionRules rules, RefundRequest request) =>
        ForAmount(rules, request.Amount)
        ?? ForCurrency(account, request.Currency)
        ?? (long.MaxValue - account.Balance < request.Amount ? ValidationErrors.Of("amount", "The balance would overflow.") : null);

    /// <summary>An advice is never declined, but it must be one: of this account's currency, decided in the last 30 days.</summary>
    public static ValidationErrors? ForAdvice(AccountState account, RegionRules rules, AdviceRequest request, DateTimeOffset now) =>
        !Enum.IsDefined(request.Kind)
            ? ValidationErrors.Of("kind", "One of payment, authorization.")
            : ForAmount(rules, request.Amount)
              ?? ForCurrency(account, request.Currency)
              ?? (request.DecidedAt > now || request.DecidedAt < now - MaxAdviceAge
                  ? ValidationErrors.Of("decidedAt", "An advice must have been decided in the last 30 days, not in the future.")
                  : null);

    private static readonly TimeSpan MaxAdviceAge = TimeSpan.FromDays(30);

    private static ValidationErrors? ForCurrency(AccountState account, string currency) =>
        string.Equals(currency, account.Currency, StringComparison.Ordinal)
            ? null
            : ValidationErrors.Of("currency", $"The account is held in {account.Currency}.");

    public static ValidationErrors? ForDeposit(AccountState account, DepositRequest request)
    {
        if (request.Amount <= 0)
        {
            return ValidationErrors.Of("amount", "Amount must be positive.");
        }

        if (!string.Equals(request.Currency, account.Currency, StringComparison.Ordinal))
        {
            return ValidationErrors.Of("currency", $"The account is held in {account.Currency}.");
        }

        if (account.Status == AccountStatus.Closed)
        {
            return ValidationErrors.Of("accountId", "The account is closed.");
        }

        return long.MaxValue - account.Balance < request.Amount
            ? ValidationErrors.Of("amount", "The balance would overflow.")
            : null;
    }

    /// <summary>An undefined status (a number that no name maps to) would read as active and break every view.</summary>
    public static ValidationErrors? ForUpdate(AccountUpdate update) =>
        update.Status is { } status && !Enum.IsDefined(status)
            ? ValidationErrors.Of("status", "One of active, frozen, closed.")
            : ForLimits(update.Limits);

    public static ValidationErrors? ForLimits(AccountLimits? limits) =>
        limits is { PerPayment: <= 0 } or { Daily: <= 0 } or { Weekly: <= 0 } or { Monthly: <= 0 }
            ? ValidationErrors.Of("limits", "Every limit must be a positive number of minor units.")
            : null;
}
