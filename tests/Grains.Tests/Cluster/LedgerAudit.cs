using Payments.Contracts;
using Payments.Ledger;
using Payments.Ledger.Changes;

namespace Payments.Grains.Tests.Cluster;

/// <summary>
/// An account's ledger read back and replayed by the test itself: seqs 1..n with no gap, unique entry ids, each
/// row's balance following from the one before, never below zero. Money is checked from here, not from the grain.
/// </summary>
internal sealed record LedgerAudit(
    IReadOnlyList<LedgerEntry> Rows, long Balance, long InitialBalance, long Deposits, IReadOnlyList<LedgerEntry> Approved)
{
    public long ApprovedSum => Approved.Sum(e => ((PaymentDecided)e.Change).Amount);

    public IEnumerable<LedgerEntry> Payments => Rows.Where(e => e.Kind == EntryKind.Payment);

    public static async Task<LedgerAudit> OfAsync(ILedgerStore ledger, string accountId)
    {
        var rows = await ledger.ReadAfterAsync(accountId, 0, CancellationToken.None);
        Assert.NotEmpty(rows);
        Assert.Equal(Enumerable.Range(1, rows.Count).Select(i => (long)i), rows.Select(e => e.Seq));
        Assert.Equal(rows.Count, rows.Select(e => e.EntryId).Distinct(StringComparer.Ordinal).Count());
        Assert.All(rows, e => Assert.Equal(accountId, e.AccountId));
        Assert.Equal(EntryKind.Open, rows[0].Kind);

        long balance = 0;
        long initial = 0;
        long deposits = 0;
        var approved = new List<LedgerEntry>();
        foreach (var row in rows)
        {
            switch (row.Change)
            {
                case AccountOpened open:
                    initial = balance = open.InitialBalance;
                    break;
                case DepositMade deposit:
                    balance += deposit.Amount;
                    deposits += deposit.Amount;
                    break;
                case PaymentDecided { Status: PaymentStatus.Approved } payment:
                    balance -= payment.Amount;
                    approved.Add(row);
                    break;
                case PaymentDecided declined:
                    Assert.NotNull(declined.DeclineReason);
                    break;
                case SettingsChanged:
                    break;
                default:
                    throw new InvalidOperationException($"The audit does not know {row.Kind} rows.");
            }

            Assert.True(balance >= 0, $"Row {row.Seq} takes the balance to {balance}.");
            Assert.Equal(balance, row.BalanceAfter);
        }

        return new LedgerAudit(rows, balance, initial, deposits, approved);
    }
}
