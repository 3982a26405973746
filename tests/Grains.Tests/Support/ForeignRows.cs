using Payments.Contracts;
using Payments.Ledger;
using Payments.Ledger.Changes;

namespace Payments.Grains.Tests.Support;

/// <summary>Rows that tests write straight into the ledger, as another activation (another region) would have.</summary>
internal static class ForeignRows
{
    public static LedgerEntry Payment(
        string accountId, long seq, string entryId, string requestHash, long amount, long balanceAfter, DateTimeOffset at,
        DateOnly businessDate, string decidedBy = "region-b") =>
        new(accountId, seq, entryId, requestHash, balanceAfter, balanceAfter, at, businessDate, decidedBy,
            new PaymentDecided(amount, "EUR", "Shop", "5411", PaymentStatus.Approved, null));

    public static LedgerEntry Deposit(
        string accountId, long seq, string entryId, long amount, long balanceAfter, DateTimeOffset at, DateOnly businessDate) =>
        new(accountId, seq, entryId, "hash", balanceAfter, balanceAfter, at, businessDate, "region-b",
            new DepositMade(amount, "EUR", "refund"));
}
