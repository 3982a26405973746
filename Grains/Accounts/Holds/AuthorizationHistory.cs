using Payments.Contracts;
using Payments.Ledger;
using Payments.Ledger.Changes;

namespace Payments.Accounts.Holds;

/// <summary>
/// An authorization rebuilt from its own ledger rows (the row that opened it, then its increments, captures, reversals
/// and expiry) with the same <see cref="LedgerChange.Apply"/> the account uses: for authorizations that memory no
/// longer holds, and for rendering any row's authorization as the API answers it.
/// </summary>
public static class AuthorizationHistory
{
    /// <summary>The authorization after <paramref name="rows"/> (in seq order), as of <paramref name="now"/>; null without its authorization row.</summary>
    public static AuthorizationRecord? Fold(IReadOnlyList<LedgerEntry> rows, DateTimeOffset now)
    {
        if (rows.Count == 0 || rows[0].AsAuthorization() is not { } opened)
        {
            return null;
        }

        if (opened.Status == AuthorizationStatus.Declined)
        {
            return opened;
        }

        // A scratch account: only the hold matters; the periods it counts in are the account's business.
        var scratch = new AccountState();
        foreach (var row in rows)
        {
            row.Change.Apply(scratch, row);
        }

        return scratch.Holds[opened.AuthorizationId].ToRecord(opened.AccountId, now);
    }
}
