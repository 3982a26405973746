using Payments.Accounts;
using Payments.Contracts;
using Payments.Ledger;

namespace Payments.Grains.Tests.Support;

/// <summary>
/// The grain's decision path without the grain: each method builds the ledger row exactly as
/// <see cref="AccountGrain"/> does (same fields, same seq rule) and applies it to the state. Validation is the
/// caller's business, as in the grain, where it runs before anything is built.
/// </summary>
internal static class DecisionPath
{
    public const string AccountId = "acc-test";
    public const string Silo = "region-a";

    public static AccountState Open(
        RegionRules rules, long initialBalance, AccountLimits? limits = null, DateTimeOffset? at = null)
    {
        var now = at ?? TestRules.Utc(2026, 11, 25, 10);
        var request = new OpenAccountRequest(TestRules.Region, rules.Currency, initialBalance, limits ?? AccountLimits.None);
        var state = new AccountState();
        state.Apply(new LedgerEntry(
            AccountId, 1, EntryKind.Open, "§open", RequestFingerprint.Of(request), request.InitialBalance, request.Currency,
            null, null, null, PaymentStatus.Approved, null, request.InitialBalance, now,
            BusinessCalendar.For(rules).BusinessDate(now), Silo,
            new AccountSettings(request.Region, request.Limits, AccountStatus.Active)));
        return state;
    }

    public static (PaymentDecision Decision, LedgerEntry Entry) Pay(
        AccountState state, RegionRules rules, DateTimeOffset now, PaymentRequest request)
    {
        var decision = PaymentDecider.Decide(state, rules, now, request);
        var entry = new LedgerEntry(
            AccountId, state.LastSeq + 1, EntryKind.Payment, request.IdempotencyKey ?? Guid.NewGuid().ToString("N"),
            RequestFingerprint.Of(request), request.Amount, request.Currency, request.Merchant, request.Mcc, null,
            decision.Status, decision.Reason, decision.BalanceAfter, now, decision.BusinessDate, Silo, null);
        state.Apply(entry);
        return (decision, entry);
    }

    public static PaymentDecision Pay(
        AccountState state, RegionRules rules, DateTimeOffset now, long amount, string mcc = TestRules.GroceryMcc,
        string? currency = null) =>
        Pay(state, rules, now, Payment(amount, mcc, currency ?? rules.Currency)).Decision;

    public static LedgerEntry Deposit(AccountState state, RegionRules rules, DateTimeOffset now, DepositRequest request)
    {
        var entry = new LedgerEntry(
            AccountId, state.LastSeq + 1, EntryKind.Deposit, request.IdempotencyKey ?? Guid.NewGuid().ToString("N"),
            RequestFingerprint.Of(request), request.Amount, request.Currency, null, null, request.Reference,
            PaymentStatus.Approved, null, checked(state.Balance + request.Amount), now,
            BusinessCalendar.For(rules).BusinessDate(now), Silo, null);
        state.Apply(entry);
        return entry;
    }

    public static LedgerEntry Update(AccountState state, RegionRules rules, DateTimeOffset now, AccountUpdate update)
    {
        var settings = new AccountSettings(
            state.Region, state.Limits.With(update.Limits ?? AccountLimits.None), update.Status ?? state.Status);
        var entry = new LedgerEntry(
            AccountId, state.LastSeq + 1, EntryKind.Settings, Guid.NewGuid().ToString("N"), RequestFingerprint.Of(update),
            0, state.Currency, null, null, null, PaymentStatus.Approved, null, state.Balance, now,
            BusinessCalendar.For(rules).BusinessDate(now), Silo, settings);
        state.Apply(entry);
        return entry;
    }

    public static PaymentRequest Payment(long amount, string mcc = TestRules.GroceryMcc, string currency = "EUR", string? key = null) =>
        new(amount, currency, "Boulangerie du Port", mcc, key);
}
