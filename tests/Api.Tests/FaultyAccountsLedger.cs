using System.Collections.Concurrent;
using Payments.Ledger;

namespace Payments.Api.Tests;

/// <summary>
/// The in-memory ledger with two faults a test can ask for: reading an account whose id starts with "slow-" takes
/// <see cref="Delay"/> (its grain's activation outlasts a short request timeout), and appending a row of an account
/// given to <see cref="FailAppendsOf"/> throws, as a lost database does, until the returned scope ends.
/// </summary>
public sealed class FaultyAccountsLedger(ILedgerStore inner) : ILedgerStore
{
    public const string Prefix = "slow-";
    public static readonly TimeSpan Delay = TimeSpan.FromSeconds(5);

    private readonly ConcurrentDictionary<string, bool> _failing = new(StringComparer.Ordinal);

    /// <summary>Every append that holds a row of <paramref name="accountId"/> fails until the result is disposed.</summary>
    public IDisposable FailAppendsOf(string accountId)
    {
        _failing[accountId] = true;
        return new Healing(() => _failing.TryRemove(accountId, out _));
    }

    public Task<bool> OpenAccountAsync(LedgerEntry open, CancellationToken cancellationToken) => inner.OpenAccountAsync(open, cancellationToken);

    public Task<bool[]> AppendAsync(IReadOnlyList<LedgerEntry> batch, CancellationToken cancellationToken) =>
        batch.Any(row => _failing.ContainsKey(row.AccountId))
            ? throw new TimeoutException("The ledger's database did not answer (a fault the test asked for).")
            : inner.AppendAsync(batch, cancellationToken);

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

    private sealed class Healing(Action heal) : IDisposable
    {
        public void Dispose() => heal();
    }
}
