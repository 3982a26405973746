using Payments.Contracts;
using Payments.Ledger;
using Payments.Ledger.Changes;

namespace Payments.Grains.Tests.Cluster;

/// <summary>
/// An account's ledger read back and replayed by the test itself: seqs 1..n with no gap, unique entry ids, each
/// row's balance following from the one before, never below zero unless the network decided it (a capture beyond its
/// hold, an advice), each row's available money equal to the balance less what the authorizations still hold (summed
/// here from their rows), no approved decision of the system leaving less than zero available, and no hold released
/// twice. Money is checked from here, not from the grain.
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
        var beyondHolds = false;
        var held = new Dictionary<string, long>(StringComparer.Ordinal);
        var released = new HashSet<string>(StringComparer.Ordinal);
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
                case CaptureMade capture:
                    balance -= capture.Amount;
                    beyondHolds |= capture.ExceedsHold;
                    if (capture.FromHold + capture.Released > 0)
                    {
                        Release(capture.AuthorizationId, capture.FromHold + capture.Released, capture.HeldAfter);
                    }

                    break;
                case AuthorizationDecided { Status: PaymentStatus.Approved } authorization:
                    held.Add(row.EntryId, authorization.Amount);
                    break;
                case IncrementDecided { Status: PaymentStatus.Approved } increment:
                    Assert.DoesNotContain(increment.AuthorizationId, released);
                    held[increment.AuthorizationId] += increment.Amount;
                    break;
                case ReversalMade reversal:
                    Release(reversal.AuthorizationId, reversal.Amount, reversal.HeldAfter);
                    break;
                case HoldExpired expiry:
                    Release(expiry.AuthorizationId, expiry.Amount, 0);
                    break;
                case RefundMade refund:
                    balance += refund.Amount;
                    break;
                case AdviceRecorded advice:
                    beyondHolds = true;
                    if (advice.IsAuthorization)
                    {
                        held.Add(row.EntryId, advice.Amount);
                    }
                    else
                    {
                        balance -= advice.Amount;
                    }

                    break;
                case SettingsChanged or AuthorizationDecided or IncrementDecided:
                    break;
                default:
                    throw new InvalidOperationException($"The audit does not know {row.Kind} rows.");
            }

            // Only what the network decided (a capture beyond its hold) may take the balance below zero.
            Assert.True(balance >= 0 || beyondHolds, $"Row {row.Seq} takes the balance to {balance}.");
            Assert.True(row.AvailableAfter >= 0 || row.Change is not (PaymentDecided { Status: PaymentStatus.Approved }
                    or AuthorizationDecided { Status: PaymentStatus.Approved } or IncrementDecided { Status: PaymentStatus.Approved }),
                $"Row {row.Seq}, a decision of the system, leaves {row.AvailableAfter} available.");
            Assert.Equal(balance, row.BalanceAfter);
            Assert.Equal(balance - held.Values.Sum(), row.AvailableAfter);
        }

        // What a hold gives back comes off what it still holds; once nothing is, it is released and stays so.
        void Release(string authorizationId, long amount, long heldAfter)
        {
            Assert.DoesNotContain(authorizationId, released);
            held[authorizationId] -= amount;
            Assert.True(held[authorizationId] >= 0, $"Authorization {authorizationId} gives back more than it held.");
            Assert.Equal(held[authorizationId], heldAfter);
            if (heldAfter == 0)
            {
                released.Add(authorizationId);
            }
        }

        return new LedgerAudit(rows, balance, initial, deposits, approved);
    }
}
