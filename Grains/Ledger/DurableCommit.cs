using Npgsql;

namespace Payments.Ledger;

/// <summary>
/// How a ledger commit is sent. PostgreSQL acknowledges a commit once the synchronous standby has its WAL; a commit
/// whose wait for the standby is cancelled (a command timeout, a cancelled token: Npgsql sends a cancel request) commits
/// locally and answers success with a warning, so a payment would be approved that the standby does not hold. Commits
/// therefore run with no timeout and no token; <see cref="LedgerWriter"/> stops waiting for one that hangs (a lost
/// network) without cancelling it, and its payments answer 503, settled later by their Idempotency-Key.
/// </summary>
internal static class DurableCommit
{
    /// <summary>Npgsql's "no timeout" for <see cref="NpgsqlCommand.CommandTimeout"/>.</summary>
    public const int NoTimeout = 0;

    /// <summary>
    /// Commits <paramref name="transaction"/> as a plain <c>COMMIT</c> statement: <see cref="NpgsqlTransaction.CommitAsync"/>
    /// would run under the connection string's command timeout.
    /// </summary>
    public static async Task CommitAsync(NpgsqlTransaction transaction)
    {
        await using var commit = new NpgsqlCommand("COMMIT", transaction.Connection, transaction) { CommandTimeout = NoTimeout };
        await commit.ExecuteNonQueryAsync(CancellationToken.None);
    }
}
