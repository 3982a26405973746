namespace Payments.Ledger;

/// <summary>The durable ledger: append-only rows keyed by (account, seq), entry ids unique per account.</summary>
public interface ILedgerStore
{
    /// <summary>Records an account's open entry (seq 1) and its directory row atomically; false when the id is taken.</summary>
    Task<bool> OpenAccountAsync(LedgerEntry open, CancellationToken cancellationToken);

    /// <summary>
    /// Appends a batch in one commit. Each flag says whether that row was appended. An account's rows in the batch
    /// are appended all together or not at all: when the seq or entry id of one of them is already taken, none of
    /// that account's rows is appended, and other accounts' rows are not affected.
    /// </summary>
    Task<bool[]> AppendAsync(IReadOnlyList<LedgerEntry> batch, CancellationToken cancellationToken);

    /// <summary>The account's rows after <paramref name="afterSeq"/>, in seq order.</summary>
    Task<IReadOnlyList<LedgerEntry>> ReadAfterAsync(string accountId, long afterSeq, CancellationToken cancellationToken);

    /// <summary>The row with this entry id, if any.</summary>
    Task<LedgerEntry?> FindAsync(string accountId, string entryId, CancellationToken cancellationToken);

    /// <summary>The rows among these entry ids that exist, in one query.</summary>
    Task<IReadOnlyList<LedgerEntry>> FindManyAsync(string accountId, IReadOnlyCollection<string> entryIds, CancellationToken cancellationToken);

    /// <summary>
    /// The rows of these authorizations (each one's opening row, its increments, captures, reversals and expiry), in
    /// seq order, in one query.
    /// </summary>
    Task<IReadOnlyList<LedgerEntry>> AuthorizationRowsAsync(
        string accountId, IReadOnlyCollection<string> authorizationIds, CancellationToken cancellationToken);

    /// <summary>The rows of one list, newest first, strictly before <paramref name="beforeSeq"/> when given.</summary>
    Task<IReadOnlyList<LedgerEntry>> PageAsync(
        string accountId, LedgerList list, long? beforeSeq, int limit, CancellationToken cancellationToken);
}
