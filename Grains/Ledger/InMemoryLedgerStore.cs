using Payments.Ledger.Changes;

namespace Payments.Ledger;

/// <summary>
/// The ledger of the embedded mode and of grain tests: same conflict rules as PostgreSQL, no durability. Each row's
/// change goes through its JSON payload as in PostgreSQL, so every test that replays rows also replays the payloads.
/// </summary>
public sealed class InMemoryLedgerStore : ILedgerStore
{
    private readonly Dictionary<string, AccountRows> _accounts = new(StringComparer.Ordinal);

    public Task<bool> OpenAccountAsync(LedgerEntry open, CancellationToken cancellationToken)
    {
        lock (_accounts)
        {
            if (_accounts.ContainsKey(open.AccountId))
            {
                return Task.FromResult(false);
            }

            var rows = new AccountRows();
            rows.Add(open);
            _accounts.Add(open.AccountId, rows);
            return Task.FromResult(true);
        }
    }

    public Task<bool[]> AppendAsync(IReadOnlyList<LedgerEntry> batch, CancellationToken cancellationToken)
    {
        lock (_accounts)
        {
            var refused = batch.GroupBy(e => e.AccountId, StringComparer.Ordinal)
                .Where(group => !_accounts.TryGetValue(group.Key, out var rows) || !rows.CanAdd(group.ToList()))
                .Select(group => group.Key)
                .ToHashSet(StringComparer.Ordinal);
            var appended = new bool[batch.Count];
            for (var i = 0; i < batch.Count; i++)
            {
                if (!refused.Contains(batch[i].AccountId))
                {
                    _accounts[batch[i].AccountId].Add(batch[i]);
                    appended[i] = true;
                }
            }

            return Task.FromResult(appended);
        }
    }

    public Task<IReadOnlyList<LedgerEntry>> ReadAfterAsync(string accountId, long afterSeq, CancellationToken cancellationToken) =>
        Query(accountId, rows => rows.BySeq.Values.Where(e => e.Seq > afterSeq).ToList());

    public Task<LedgerEntry?> FindAsync(string accountId, string entryId, CancellationToken cancellationToken)
    {
        lock (_accounts)
        {
            return Task.FromResult(
                _accounts.TryGetValue(accountId, out var rows) ? rows.ById.GetValueOrDefault(entryId) : null);
        }
    }

    public Task<IReadOnlyList<LedgerEntry>> FindManyAsync(
        string accountId, IReadOnlyCollection<string> entryIds, CancellationToken cancellationToken) =>
        Query(accountId, rows => entryIds.Select(id => rows.ById.GetValueOrDefault(id)).OfType<LedgerEntry>().ToList());

    public Task<IReadOnlyList<LedgerEntry>> AuthorizationRowsAsync(
        string accountId, string authorizationId, CancellationToken cancellationToken) =>
        Query(accountId, rows => rows.BySeq.Values
            .Where(e => string.Equals(e.Change.Columns(e).AuthorizationId, authorizationId, StringComparison.Ordinal))
            .ToList());

    public Task<IReadOnlyList<LedgerEntry>> PageAsync(
        string accountId, EntryKind kind, long? beforeSeq, int limit, CancellationToken cancellationToken) =>
        Query(accountId, rows => rows.BySeq.Values
            .Where(e => e.Kind == kind && (beforeSeq is null || e.Seq < beforeSeq))
            .OrderByDescending(e => e.Seq)
            .Take(limit)
            .ToList());

    private Task<IReadOnlyList<LedgerEntry>> Query(string accountId, Func<AccountRows, List<LedgerEntry>> query)
    {
        lock (_accounts)
        {
            IReadOnlyList<LedgerEntry> result = _accounts.TryGetValue(accountId, out var rows) ? query(rows) : [];
            return Task.FromResult(result);
        }
    }

    private sealed class AccountRows
    {
        public SortedList<long, LedgerEntry> BySeq { get; } = [];

        public Dictionary<string, LedgerEntry> ById { get; } = new(StringComparer.Ordinal);

        /// <summary>Whether every row fits: no seq or entry id taken, and none twice among the rows themselves.</summary>
        public bool CanAdd(List<LedgerEntry> entries) =>
            entries.All(e => !BySeq.ContainsKey(e.Seq) && !ById.ContainsKey(e.EntryId))
            && entries.DistinctBy(e => e.Seq).Count() == entries.Count
            && entries.DistinctBy(e => e.EntryId, StringComparer.Ordinal).Count() == entries.Count;

        public void Add(LedgerEntry entry)
        {
            var stored = entry with { Change = LedgerPayload.Read(entry.Kind, LedgerPayload.Version, LedgerPayload.Write(entry.Change)) };
            BySeq.Add(stored.Seq, stored);
            ById.Add(stored.EntryId, stored);
        }
    }
}
