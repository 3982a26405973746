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
    /// More money on a pending hold, decided like a payment in the authorization's currency and merchant category: the
    /// per-payment ceiling bounds the new total hold, available money and the period ceilings bound the increment.
    /// </summary>
    public static Verdict Increment(AccountState account, RegionRules rules, RowStamp stamp, IncrementRequest request)
    {
        if (!account.Holds.TryGetValue(request.AuthorizationId, out var hold) || hold.StatusAt(stamp.Now) != AuthorizationStatus.Pending)
        {
            return Verdict.Refused(RecordOutcome.AuthorizationNotPending);
        }

        var businessDate = BusinessCalendar.For(rules).BusinessDate(stamp.Now);
        var reason = PaymentDecider.FirstDeclineReason(
            account, rules, businessDate, hold.Currency, hold.Mcc, checked(hold.Held + request.Amount), request.Amount);
        return LedgerEntry.Next(account, stamp, businessDate, new IncrementDecided(
            request.AuthorizationId, request.Amount, hold.Currency,
            reason is null ? PaymentStatus.Approved : PaymentStatus.Declined, reason,
            reason is null ? stamp.Now + hold.Period : null));
    }

    /// <summary>
    /// A capture within the authorization's cap is never declined: the merchant was authorized; a forced one (the
    /// network's) is posted whatever the cap. What it takes beyond what is still held (an over-capture, or any capture
    /// of an expired authorization) is new money.
    /// </summary>
    public static Verdict Capture(AccountState account, RegionRules rules, RowStamp stamp, CaptureRequest request)
    {
        if (!account.Holds.TryGetValue(request.AuthorizationId, out var hold)
            || hold.StatusAt(stamp.Now) is not (AuthorizationStatus.Pending or AuthorizationStatus.Expired))
        {
            return Verdict.Refused(RecordOutcome.AuthorizationNotPending);
        }

        if (!request.Force && checked(hold.Captured + request.Amount) > hold.CaptureCap)
        {
            return Verdict.Refused(RecordOutcome.CaptureExceedsAuthorization);
        }

        var businessDate = BusinessCalendar.For(rules).BusinessDate(stamp.Now);
        var held = hold.HeldAt(stamp.Now);
        var fromHold = Math.Min(request.Amount, held);
        var released = request.Final ? held - fromHold : 0;
        return LedgerEntry.Next(account, stamp, businessDate, new CaptureMade(
            request.AuthorizationId, request.Amount, hold.Currency, request.Final, fromHold, released,
            held - fromHold - released, PaymentDecider.Overrun(account, rules, businessDate, request.Amount - fromHold),
            request.Force));
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

    /// <summary>What refunds of this row may total at most; null when the row is no payment or capture.</summary>
    public static long? Refundable(LedgerEntry? row) => row?.Change switch
    {
        PaymentDecided payment => payment.Status == PaymentStatus.Approved ? payment.Amount : 0,
        AdviceRecorded { IsAuthorization: false } advice => advice.Amount,
        CaptureMade capture => capture.Amount,
        _ => null,
    };

    /// <summary>
    /// A credit that gives no ceiling room back. Refunds of one payment or capture, of which <paramref name="refundable"/>
    /// may be refunded in all, never total more than it.
    /// </summary>
    public static Verdict Refund(AccountState account, RegionRules rules, RowStamp stamp, RefundRequest request, long? refundable)
    {
        if (request.PaymentId is { } paymentId && checked(account.RefundedOf(paymentId) + request.Amount)
            > (refundable ?? throw new ArgumentNullException(nameof(refundable), "A refund of a payment needs what it may refund.")))
        {
            return Verdict.Refused(RecordOutcome.RefundExceedsPayment);
        }

        return LedgerEntry.Next(account, stamp, BusinessCalendar.For(rules).BusinessDate(stamp.Now),
            new RefundMade(request.Amount, request.Currency, request.Merchant, request.Mcc, request.PaymentId));
    }

    /// <summary>
    /// What the network decided, recorded as it is and never declined, in the business day of its decision; an
    /// authorization advice holds from then for its category's period. Its overruns are named, not refused.
    /// </summary>
    public static LedgerEntry Advise(AccountState account, RegionRules rules, RowStamp stamp, AdviceRequest request)
    {
        var businessDate = BusinessCalendar.For(rules).BusinessDate(request.DecidedAt);
        var holds = rules.HoldRulesInForce();
        var isAuthorization = request.Kind == AdviceKind.Authorization;
        return LedgerEntry.Next(account, stamp, businessDate, new AdviceRecorded(
            request.Kind, request.Amount, request.Currency, request.Merchant, request.Mcc, request.DecidedAt,
            PaymentDecider.DatedOverrun(account, rules, businessDate, request.Amount),
            isAuthorization ? request.DecidedAt + holds.ExpiryFor(request.Mcc) : null,
            isAuthorization ? holds.OverCapturePercent : 0));
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
