namespace Payments.LoadGen.Checks;

/// <summary>An entry the API answered as recorded (approved, pending, captured, …): it must be in the ledger once, of its kind.</summary>
public readonly record struct RecordedEntry(string AccountId, string EntryId, string Kind);

/// <summary>How many accounts, rows or authorizations broke each invariant of the ledger (0 = it holds).</summary>
public sealed record LedgerViolations(
    long Balances,
    long AvailableBelowZero,
    long Held,
    long ReleasedTwice,
    long OverCaptured,
    long Lifecycle,
    long Ceilings,
    long AnswersNotOnce)
{
    public long Authorizations { get; init; }
}

/// <summary>
/// The money invariants of api.md, checked from the ledger's rows alone by rebuilding every account in order:
/// balance = initial + deposits + refunds − approved payments − captures − advised payments on every row and in what
/// the system holds; held = what the open authorizations hold; none of the system's own decisions (payment,
/// authorization, increment) leaves available money below zero or a period over its ceiling, holds counted; captures
/// stay within the cap; a hold is released once; every approved authorization is open, or closed once, and none is
/// still open a minute after its expiry; every answer the API gave is in the ledger once. An account whose ceilings
/// cannot be read counts as a ceiling violation: a check that cannot fail proves nothing.
/// </summary>
public static class LedgerAudit
{
    /// <summary>api.md: the row that releases an expired hold is written within a minute of its expiry.</summary>
    public static readonly TimeSpan ExpiryGrace = TimeSpan.FromMinutes(1);

    /// <param name="rows">The rows of the accounts checked, ordered by account and seq.</param>
    /// <param name="storedBalances">The balance the system keeps per account (the newest row's, or the baseline's account row).</param>
    /// <param name="answered">What the API answered as recorded.</param>
    /// <param name="now">When the check runs: holds still open a minute after their expiry by then were never released.</param>
    public static LedgerViolations Check(
        IReadOnlyList<LedgerRow> rows, IReadOnlyDictionary<string, long> storedBalances, IEnumerable<RecordedEntry> answered,
        DateTimeOffset now)
    {
        var counts = new Counter();
        foreach (var account in rows.GroupBy(r => r.AccountId, StringComparer.Ordinal))
        {
            CheckAccount(account.ToList(), storedBalances.GetValueOrDefault(account.Key), now, counts);
        }

        var byEntry = rows.ToDictionary(r => (r.AccountId, r.EntryId), r => r);
        counts.AnswersNotOnce = answered.Distinct().LongCount(a =>
            !byEntry.TryGetValue((a.AccountId, a.EntryId), out var row) || row.Kind != a.Kind || !row.Approved);
        return new(counts.Balances, counts.AvailableBelowZero, counts.Held, counts.ReleasedTwice, counts.OverCaptured,
            counts.Lifecycle, counts.Ceilings, counts.AnswersNotOnce) { Authorizations = counts.Authorizations };
    }

    private static void CheckAccount(List<LedgerRow> rows, long storedBalance, DateTimeOffset now, Counter counts)
    {
        var holds = new Dictionary<string, HoldTrack>(StringComparer.Ordinal);
        var spending = new PeriodSpending();
        Ceilings? ceilings = null;
        var balance = 0L;
        bool balanceWrong = false, heldWrong = false;
        foreach (var row in rows)
        {
            var decided = false;
            switch (row.Kind)
            {
                case "open":
                    balance += row.Amount;
                    ceilings = row.Limits;
                    break;
                case "settings":
                    ceilings = row.Limits ?? ceilings;
                    break;
                case "deposit" or "refund":
                    balance += row.Amount;
                    break;
                case "payment":
                    if (row.Approved)
                    {
                        balance -= row.Amount;
                        spending.Add(row.BusinessDate, row.Amount);
                        decided = true;
                    }

                    break;
                case "authorization":
                    if (row.Approved)
                    {
                        Open(holds, row, row.BusinessDate);
                        spending.Add(row.BusinessDate, row.Amount);
                        decided = true;
                    }

                    break;
                case "increment":
                    if (row.Approved)
                    {
                        var hold = Existing(holds, row, counts);
                        if (hold is not null)
                        {
                            hold.Increase(row.BusinessDate, row.Amount);
                            hold.ExpiresAt = row.ExpiresAt;
                        }

                        spending.Add(row.BusinessDate, row.Amount);
                        decided = true;
                    }

                    break;
                case "capture":
                    balance -= row.Amount;
                    spending.Add(row.BusinessDate, row.Amount - row.FromHold);
                    if (Existing(holds, row, counts) is { } captured)
                    {
                        captured.Capture(row.Amount, row.FromHold, row.Forced, row.Final);
                        captured.Release(row.Released, (day, part) => spending.Add(day, -part));
                    }

                    break;
                case "reversal" or "expiry":
                    Existing(holds, row, counts)?.Release(row.Amount, (day, part) => spending.Add(day, -part));
                    break;
                case "advice":
                    var day = row.DecidedOn ?? row.BusinessDate;
                    spending.Add(day, row.Amount);
                    if (row.AdvisedHold == true)
                    {
                        Open(holds, row, day);
                    }
                    else
                    {
                        balance -= row.Amount;
                    }

                    break;
                default:
                    throw new InvalidDataException($"Row {row.Seq} of {row.AccountId} has the unknown kind '{row.Kind}'.");
            }

            if (decided && row.AvailableAfter < 0)
            {
                counts.AvailableBelowZero++;
            }

            if (decided && spending.Overruns(row.BusinessDate, ceilings))
            {
                counts.Ceilings++;
            }

            balanceWrong |= row.BalanceAfter != balance;
            heldWrong |= row.BalanceAfter - row.AvailableAfter != holds.Values.Sum(h => h.Held);
        }

        // The load generator opens every account with its ceilings: none read means the check could not check.
        counts.Ceilings += ceilings is null or { Daily: null, Weekly: null, Monthly: null } ? 1 : 0;
        counts.Balances += balanceWrong || storedBalance != balance ? 1 : 0;
        counts.Held += heldWrong ? 1 : 0;
        foreach (var hold in holds.Values)
        {
            counts.Authorizations++;
            counts.ReleasedTwice += hold.OverReleased ? 1 : 0;
            counts.OverCaptured += hold.OverCaptured ? 1 : 0;
            var open = hold.Held > 0;
            var endedOnce = open ? hold.Closings == 0 && !hold.FinalCaptured : hold.Closings == 1;
            var expiredUnreleased = open && hold.ExpiresAt + ExpiryGrace < now;
            counts.Lifecycle += !endedOnce || expiredUnreleased ? 1 : 0;
        }
    }

    private static void Open(Dictionary<string, HoldTrack> holds, LedgerRow row, DateOnly day)
    {
        var hold = new HoldTrack(row.Amount, row.OverCapturePercent) { ExpiresAt = row.ExpiresAt };
        hold.Hold(day, row.Amount);
        holds[row.EntryId] = hold;
    }

    /// <summary>The authorization a follow-up row names; a row naming none that was approved breaks the lifecycle.</summary>
    private static HoldTrack? Existing(Dictionary<string, HoldTrack> holds, LedgerRow row, Counter counts)
    {
        if (row.AuthorizationId is { } id && holds.TryGetValue(id, out var hold))
        {
            return hold;
        }

        counts.Lifecycle++;
        return null;
    }

    private sealed class Counter
    {
        public long Balances, AvailableBelowZero, Held, ReleasedTwice, OverCaptured, Lifecycle, Ceilings, AnswersNotOnce, Authorizations;
    }
}
