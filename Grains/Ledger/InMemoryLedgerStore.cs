using Payments.Contracts;
using Payments.Events;
using Payments.Ledger.Changes;

namespace Payments.Ledger;

/// <summary>
/// The ledger of the embedded mode and of grain tests: same conflict rules as PostgreSQL, no durability. Each row's
/// change goes through its JSON payload as in PostgreSQL, so every test that replays rows also replays the payloads.
/// Its feed is the order of the appends: each one is a transaction, made under the lock, so none can commit behind a
/// reader.
/// </summary>
public sealed partial class InMemoryLedgerStore : ILedgerStore, IEventFeedStore, ILedgerAppends
{
    private readonly Dictionary<string, AccountRows> _accounts = new(StringComparer.Ordinal);
    private readonly List<FeedRow> _feed = [];
    private readonly AppendSignal _appends = new();
    private ulong _transactions;

    public Task Next => _appends.Next;

    public Task<bool> OpenAccountAsync(LedgerEntry open, CancellationToken cancellationToken)
    {
        lock (_accounts)
        {
            if (_accounts.ContainsKey(open.AccountId))
            {
                return Task.FromResult(false);
            }

            var rows = new AccountRows(((AccountOpened)open.Change).Settings.Region);
            _accounts.Add(open.AccountId, rows);
            Add(rows, [open]);
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
            var appended = batch.Select(e => !refused.Contains(e.AccountId)).ToArray();
            foreach (var group in batch.Where((_, i) => appended[i]).GroupBy(e => e.AccountId, StringComparer.Ordinal)
                         .OrderBy(g => g.Key, StringComparer.Ordinal))
            {
                Add(_accounts[group.Key], group);
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
        string accountId, IReadOnlyCollection<string> authorizationIds, CancellationToken cancellationToken) =>
        Query(accountId, rows => rows.BySeq.Values
            .Where(e => e.Change.Columns(e).AuthorizationId is { } id && authorizationIds.Contains(id))
            .ToList());

    public Task<IReadOnlyList<LedgerEntry>> PageAsync(
        string accountId, LedgerList list, long? beforeSeq, int limit, CancellationToken cancellationToken) =>
        Query(accountId, rows => rows.BySeq.Values
            .Where(e => e.IsIn(list) && (beforeSeq is null || e.Seq < beforeSeq))
            .OrderByDescending(e => e.Seq)
            .Take(limit)
            .ToList());

    public Task<FeedPage> ReadAsync(FeedPosition after, FeedFilter filter, int limit, CancellationToken cancellationToken)
    {
        lock (_accounts)
        {
            var rows = _feed.Where(row => row.Position.CompareTo(after) > 0 && filter.Matches(row.Entry)).Take(limit).ToList();
            var scanned = rows.Count == limit ? rows[^1].Position
                : _feed.Count > 0 && _feed[^1].Position.CompareTo(after) > 0 ? _feed[^1].Position
                : after;
            return Task.FromResult(new FeedPage(rows, scanned));
        }
    }

    public Task<FeedRow?> FindAsync(string accountId, long seq, CancellationToken cancellationToken)
    {
        lock (_accounts)
        {
            return Task.FromResult(_feed.Find(row => row.Entry.AccountId == accountId && row.Entry.Seq == seq));
        }
    }

    public Task<FeedPosition> HeadAsync(CancellationToken cancellationToken)
    {
        lock (_accounts)
        {
            return Task.FromResult(_feed.Count == 0 ? FeedPosition.Start : _feed[^1].Position);
        }
    }

    /// <summary>Adds one transaction's rows of an account.</summary>
    private void Add(AccountRows rows, IEnumerable<LedgerEntry> entries)
    {
        _transactions++;
        foreach (var entry in entries)
        {
            _feed.Add(new FeedRow(new FeedPosition(_transactions, entry.AccountId, entry.Seq), rows.Region, rows.Add(entry)));
        }

        _appends.Raise();
    }

    private Task<IReadOnlyList<LedgerEntry>> Query(string accountId, Func<AccountRows, List<LedgerEntry>> query)
    {
        lock (_accounts)
        {
            IReadOnlyList<LedgerEntry> result = _accounts.TryGetValue(accountId, out var rows) ? query(rows) : [];
            return Task.FromResult(result);
        }
    }

    private sealed class AccountRows(string region)
    {
        public string Region { get; } = region;

        public SortedList<long, LedgerEntry> BySeq { get; } = [];

        public Dictionary<string, LedgerEntry> ById { get; } = new(StringComparer.Ordinal);

        /// <summary>Whether every row fits: no seq or entry id taken, and none twice among the rows themselves.</summary>
        public bool CanAdd(List<LedgerEntry> entries) =>
            entries.All(e => !BySeq.ContainsKey(e.Seq) && !ById.ContainsKey(e.EntryId))
            && entries.DistinctBy(e => e.Seq).Count() == entries.Count
            && entries.DistinctBy(e => e.EntryId, StringComparer.Ordinal).Count() == entries.Count;

        public LedgerEntry Add(LedgerEntry entry)
        {
            var stored = entry with { Change = LedgerPayload.Read(entry.Kind, LedgerPayload.Version, LedgerPayload.Write(entry.Change)) };
            BySeq.Add(stored.Seq, stored);
            ById.Add(stored.EntryId, stored);
            return stored;
        }
    }
}
