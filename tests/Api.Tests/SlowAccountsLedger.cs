using Payments.Ledger;

namespace Payments.Api.Tests;

/// <summary>
/// The in-memory ledger, except that reading an account whose id starts with "slow-" takes <see cref="Delay"/>:
/// its grain's activation outlasts a short request timeout.
/// </summary>
public sealed class SlowAccountsLedger(ILedgerStore inner) : ILedgerStore
{
    public const string Prefix = "slow-";
    public static readonly TimeSpan Delay = TimeSpan.FromSeconds(5);

    public Task<bool> OpenAccountAsync(LedgerEntry open, CancellationToken cancellationToken) => inner.OpenAccountAsync(open, cancellationToken);

    public Task<bool[]> AppendAsync(IReadOnlyList<LedgerEntry> batch, CancellationToken cancellationToken) => inner.AppendAsync(batch, cancellationToken);

    public async Task<IReadOnlyList<LedgerEntry>> ReadAfterAsync(string accountId, long afterSeq, CancellationToken cancellationToken)
    {
        if (accountId.StartsWith(Prefix, StringComparison.Ordinal))
        {
            await Task.Delay(Delay, CancellationToken.None);
        }

        return await inner.ReadAfterAsync(accountId, afterSeq, cancellationToken);
    }

    public Task<LedgerEntry?> FindAsync(string accountId, string entryId, CancellationToken cancellationToken) =>
        inner.FindAsync(accountId, entryId, cancellationToken);

    public Task<IReadOnlyList<LedgerEntry>> FindManyAsync(
        string accountId, IReadOnlyCollection<string> entryIds, CancellationToken cancellationToken) =>
        inner.FindManyAsync(accountId, entryIds, cancellationToken);

    public Task<IReadOnlyList<LedgerEntry>> AuthorizationRowsAsync(
        string accountId, IReadOnlyCollection<string> authorizationIds, CancellationToken cancellationToken) =>
        inner.AuthorizationRowsAsync(accountId, authorizationIds, cancellationToken);

    public Task<IReadOnlyList<LedgerEntry>> PageAsync(
        string accountId, LedgerList list, long? beforeSeq, int limit, CancellationToken cancellationToken) =>
        inner.PageAsync(accountId, list, beforeSeq, limit, cancellationToken);
}
