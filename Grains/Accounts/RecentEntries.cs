using Payments.Ledger;

namespace Payments.Accounts;

/// <summary>The last entries an activation saw, by entry id: a retry of a recent request replays without a query.</summary>
internal sealed class RecentEntries(int capacity)
{
    private readonly Dictionary<string, LedgerEntry> _byId = new(StringComparer.Ordinal);
    private readonly Queue<string> _order = new();

    public bool TryGet(string entryId, out LedgerEntry entry) => _byId.TryGetValue(entryId, out entry!);

    public void Add(LedgerEntry entry)
    {
        if (!_byId.TryAdd(entry.EntryId, entry))
        {
            return;
        }

        _order.Enqueue(entry.EntryId);
        if (_order.Count > capacity)
        {
            _byId.Remove(_order.Dequeue());
        }
    }
}
