using Payments.Accounts;
using Payments.Contracts;
using Payments.Ledger;
using Payments.Ledger.Changes;

namespace Payments.Grains.Tests.Support;

/// <summary>
/// The grain's decision path without the grain: each method builds the row through <see cref="AccountDecisions"/>,
/// the code the grain runs, and applies it with <see cref="AccountState.Apply"/>. Validation is the caller's
/// business, as in the grain, where it runs before anything is built.
/// </summary>
internal static class DecisionPath
{
    public const string AccountId = "acc-test";
    public const string Silo = "region-a";

    public static AccountState Open(
        RegionRules rules, long initialBalance, AccountLimits? limits = null, DateTimeOffset? at = null)
    {
        var request = new OpenAccountRequest(TestRules.Region, rules.Currency, initialBalance, limits ?? AccountLimits.None);
        var state = new AccountState();
        state.Apply(AccountDecisions.Open(AccountId, rules, at ?? TestRules.Utc(2026, 11, 25, 10), Silo, request));
        return state;
    }

    public static (PaymentDecided Decision, LedgerEntry Entry) Pay(
        AccountState state, RegionRules rules, DateTimeOffset now, PaymentRequest request)
    {
        var entry = Applied(state, AccountDecisions.Pay(state, rules, Stamp(now, request.IdempotencyKey, RequestFingerprint.Of(request)), request));
        return ((PaymentDecided)entry.Change, entry);
    }

    public static PaymentDecided Pay(
        AccountState state, RegionRules rules, DateTimeOffset now, long amount, string mcc = TestRules.GroceryMcc,
        string? currency = null) =>
        Pay(state, rules, now, Payment(amount, mcc, currency ?? rules.Currency)).Decision;

    public static LedgerEntry Deposit(AccountState state, RegionRules rules, DateTimeOffset now, DepositRequest request) =>
        Applied(state, AccountDecisions.Deposit(state, rules, Stamp(now, request.IdempotencyKey, RequestFingerprint.Of(request)), request));

    public static LedgerEntry Update(AccountState state, RegionRules rules, DateTimeOffset now, AccountUpdate update) =>
        Applied(state, AccountDecisions.Update(state, rules, Stamp(now, null, RequestFingerprint.Of(update)), update));

    public static Verdict Authorize(AccountState state, RegionRules rules, DateTimeOffset now, AuthorizationRequest request) =>
        Applied(state, AccountDecisions.Authorize(state, rules, Stamp(now, request.IdempotencyKey, RequestFingerprint.Of(request)), request));

    public static Verdict Increment(AccountState state, RegionRules rules, DateTimeOffset now, IncrementRequest request) =>
        Applied(state, AccountDecisions.Increment(state, rules, Stamp(now, request.IdempotencyKey, RequestFingerprint.Of(request)), request));

    public static Verdict Capture(AccountState state, RegionRules rules, DateTimeOffset now, CaptureRequest request) =>
        Applied(state, AccountDecisions.Capture(state, rules, Stamp(now, request.IdempotencyKey, RequestFingerprint.Of(request)), request));

    public static Verdict Reverse(AccountState state, RegionRules rules, DateTimeOffset now, ReversalRequest request) =>
        Applied(state, AccountDecisions.Reverse(state, rules, Stamp(now, request.IdempotencyKey, RequestFingerprint.Of(request)), request));

    /// <summary>A refund, of a payment or capture whose row is <paramref name="refunded"/> when it names one.</summary>
    public static Verdict Refund(AccountState state, RegionRules rules, DateTimeOffset now, RefundRequest request, LedgerEntry? refunded) =>
        Applied(state, AccountDecisions.Refund(
            state, rules, Stamp(now, request.IdempotencyKey, RequestFingerprint.Of(request)), request, AccountDecisions.Refundable(refunded)));

    /// <summary>The releases of the holds that are due at <paramref name="now"/>, as a group commit writes them first.</summary>
    public static IReadOnlyList<LedgerEntry> ExpireDue(AccountState state, RegionRules rules, DateTimeOffset now)
    {
        var released = new List<LedgerEntry>();
        while (AccountDecisions.NextExpiry(AccountId, state, rules, now, Silo) is { } expiry)
        {
            released.Add(Applied(state, expiry));
        }

        return released;
    }

    public static PaymentRequest Payment(long amount, string mcc = TestRules.GroceryMcc, string currency = "EUR", string? key = null) =>
        new(amount, currency, "Boulangerie du Port", mcc, key);

    /// <summary>The stamp the grain gives a row: the key as its id, or a fresh one.</summary>
    public static RowStamp Stamp(DateTimeOffset now, string? key, string fingerprint) =>
        new(AccountId, key ?? Guid.NewGuid().ToString("N"), fingerprint, now, Silo);

    private static LedgerEntry Applied(AccountState state, LedgerEntry entry)
    {
        state.Apply(entry);
        return entry;
    }

    private static Verdict Applied(AccountState state, Verdict verdict)
    {
        if (verdict.Entry is { } entry)
        {
            state.Apply(entry);
        }

        return verdict;
    }
}
