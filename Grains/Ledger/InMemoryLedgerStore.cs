namespace Payments.Ledger;

/// <summary>The ledger of the embedded mode and of grain tests: same conflict rules as PostgreSQL, no durability.</summary>
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
            rows.TryAdd(open);
            _accounts.Add(open.AccountId, rows);
            return Task.FromResult(true);
        }
    }

    public Task<bool[]> AppendAsync(IReadOnlyList<LedgerEntry> batch, CancellationToken cancellationToken)
    {
        lock (_accounts)
        {
            var appended = new bool[batch.Count];
            for (var i = 0; i < batch.Count; i++)
            {
                appended[i] = _accounts.TryGetValue(batch[i].AccountId, out var rows) && rows.TryAdd(batch[i]);
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

        public bool TryAdd(LedgerEntry entry)
        {
            if (BySeq.ContainsKey(entry.Seq) || ById.ContainsKey(entry.EntryId))
            {
                return false;
            }

            BySeq.Add(entry.Seq, entry);
            ById.Add(entry.EntryId, entry);
            return true;
        }
    }
}
