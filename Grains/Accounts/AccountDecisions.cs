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
}
