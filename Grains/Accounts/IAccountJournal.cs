using Payments.Ledger;

namespace Payments.Accounts;

/// <summary>
/// What an account's <see cref="GroupCommit"/> is handed by its grain: the live state, how rows are stamped, and the
/// account's ledger. Tests hand in their own.
/// </summary>
internal interface IAccountJournal
{
    string AccountId { get; }

    /// <summary>The live state: a prefix of the ledger, changed only by the group commit applying durable rows.</summary>
    AccountState State { get; }

    AccountState Copy(AccountState state);

    /// <summary>The envelope of a row decided now under this id.</summary>
    RowStamp Stamp(string entryId, string requestHash);

    /// <summary>The next row that must precede anything decided now (a hold that fell due), or null.</summary>
    LedgerEntry? NextDue(AccountState draft);

    /// <summary>Appends one account's consecutive rows: true once all are durable, false when a seq or id is taken (none written).</summary>
    Task<bool> AppendAsync(IReadOnlyList<LedgerEntry> rows);

    /// <summary>The rows among these entry ids that are in the ledger, in one query.</summary>
    Task<IReadOnlyList<LedgerEntry>> FindAsync(IReadOnlyCollection<string> entryIds);

    /// <summary>The account's rows after this seq, in order.</summary>
    Task<IReadOnlyList<LedgerEntry>> ReadAfterAsync(long seq);

    /// <summary>Called once a group is durable and applied.</summary>
    Task CommittedAsync(IReadOnlyList<LedgerEntry> rows);

    /// <summary>Memory may now disagree with the ledger (a commit whose outcome is unknown): the activation must go.</summary>
    void GiveUp(Exception exception);
}
