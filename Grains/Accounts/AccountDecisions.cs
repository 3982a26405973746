using Payments.Contracts;
using Payments.Ledger;
using Payments.Ledger.Changes;

namespace Payments.Accounts;

/// <summary>
/// Every request an account records, turned into its ledger row: the decision (pure, on the state the row will follow)
/// and the typed change it records. The grain, the tests and the tools build rows only through here; validation is the
/// caller's, before anything is built.
/// </summary>
public static class AccountDecisions
{
    /// <summary>Outside the Idempotency-Key alphabet (printable ASCII): no client key can collide with the open row's id.</summary>
    public const string OpenEntryId = "§open";

    public static LedgerEntry Open(string accountId, RegionRules rules, DateTimeOffset now, string decidedBy, OpenAccountRequest request) =>
        LedgerEntry.Next(
            new AccountState(), new RowStamp(accountId, OpenEntryId, RequestFingerprint.Of(request), now, decidedBy),
            BusinessCalendar.For(rules).BusinessDate(now),
            new AccountOpened(request.Currency, request.InitialBalance, new AccountSettings(request.Region, request.Limits, AccountStatus.Active)));

    public static LedgerEntry Pay(AccountState account, RegionRules rules, RowStamp stamp, PaymentRequest request)
    {
        var decision = PaymentDecider.Decide(account, rules, stamp.Now, request);
        return LedgerEntry.Next(account, stamp, decision.BusinessDate, new PaymentDecided(
            request.Amount, request.Currency, request.Merchant, request.Mcc, decision.Status, decision.Reason));
    }

    public static LedgerEntry Deposit(AccountState account, RegionRules rules, RowStamp stamp, DepositRequest request) =>
        LedgerEntry.Next(account, stamp, BusinessCalendar.For(rules).BusinessDate(stamp.Now),
            new DepositMade(request.Amount, request.Currency, request.Reference));

    public static LedgerEntry Update(AccountState account, RegionRules rules, RowStamp stamp, AccountUpdate update) =>
        LedgerEntry.Next(account, stamp, BusinessCalendar.For(rules).BusinessDate(stamp.Now), new SettingsChanged(
            account.Currency,
            new AccountSettings(account.Region, account.Limits.With(update.Limits ?? AccountLimits.None), update.Status ?? account.Status)));

    public static Verdict Authorize(AccountState account, RegionRules rules, RowStamp stamp, AuthorizationRequest request)
    {
        var businessDate = BusinessCalendar.For(rules).BusinessDate(stamp.Now);
        var reason = PaymentDecider.FirstDeclineReason(
            account, rules, businessDate, request.Currency, request.Mcc, request.Amount, request.Amount);
        var holds = rules.HoldRulesInForce();
        return LedgerEntry.Next(account, stamp, businessDate, new AuthorizationDecided(
            request.Amount, request.Currency, request.Merchant, request.Mcc,
            reason is null ? PaymentStatus.Approved : PaymentStatus.Declined, reason,
            reason is null ? stamp.Now + holds.ExpiryFor(request.Mcc) : null, holds.OverCapturePercent));
    }

    /// <summary>
    /// A capture within the authorization's cap is never declined: the merchant was authorized. What it takes beyond
    /// what is still held (an over-capture, or any capture of an expired authorization) is new money.
    /// </summary>
    public static Verdict Capture(AccountState account, RegionRules rules, RowStamp stamp, CaptureRequest request)
    {
        if (!account.Holds.TryGetValue(request.AuthorizationId, out var hold)
            || hold.StatusAt(stamp.Now) is not (AuthorizationStatus.Pending or AuthorizationStatus.Expired))
        {
            return Verdict.Refused(RecordOutcome.AuthorizationNotPending);
        }

        if (checked(hold.Captured + request.Amount) > hold.CaptureCap)
        {
            return Verdict.Refused(RecordOutcome.CaptureExceedsAuthorization);
        }

        var businessDate = BusinessCalendar.For(rules).BusinessDate(stamp.Now);
        var held = hold.HeldAt(stamp.Now);
        var fromHold = Math.Min(request.Amount, held);
        var released = request.Final ? held - fromHold : 0;
        return LedgerEntry.Next(account, stamp, businessDate, new CaptureMade(
            request.AuthorizationId, request.Amount, hold.Currency, request.Final, fromHold, released,
            held - fromHold - released, PaymentDecider.Overrun(account, rules, businessDate, request.Amount - fromHold)));
    }

    public static Verdict Reverse(AccountState account, RegionRules rules, RowStamp stamp, ReversalRequest request)
    {
        if (!account.Holds.TryGetValue(request.AuthorizationId, out var hold) || hold.StatusAt(stamp.Now) != AuthorizationStatus.Pending)
        {
            return Verdict.Refused(RecordOutcome.AuthorizationNotPending);
        }

        var amount = request.Amount ?? hold.Held;
        return amount > hold.Held
            ? Verdict.Refused(RecordOutcome.ReversalExceedsHold)
            : LedgerEntry.Next(account, stamp, BusinessCalendar.For(rules).BusinessDate(stamp.Now),
                new ReversalMade(request.AuthorizationId, amount, hold.Currency, hold.Held - amount));
    }

    /// <summary>
    /// The release of the first hold that is due at <paramref name="now"/>, or null when none is. Its row goes before
    /// anything decided now, so every decision sees expired holds released.
    /// </summary>
    public static LedgerEntry? NextExpiry(string accountId, AccountState account, RegionRules rules, DateTimeOffset now, string decidedBy)
    {
        var due = account.Holds.Values.Where(h => h.IsDue(now)).MinBy(h => h.ExpiresAt);
        return due is null
            ? null
            : LedgerEntry.Next(
                account, new RowStamp(accountId, HoldExpired.EntryIdOf(due.AuthorizationId), "expiry", now, decidedBy),
                BusinessCalendar.For(rules).BusinessDate(now),
                new HoldExpired(due.AuthorizationId, due.Held, due.Currency, due.ExpiresAt));
    }

    /// <summary>The account as it is at <paramref name="now"/>: a copy with its due holds released, or itself when none is due.</summary>
    public static AccountState AsOf(string accountId, AccountState account, RegionRules rules, DateTimeOffset now, Func<AccountState, AccountState> copy)
    {
        if (!account.Holds.Values.Any(h => h.IsDue(now)))
        {
            return account;
        }

        var settled = copy(account);
        while (NextExpiry(accountId, settled, rules, now, "") is { } expiry)
        {
            settled.Apply(expiry);
        }

        return settled;
    }
}
