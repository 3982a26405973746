using Payments.Accounts.Holds.Expiry;

namespace Payments.Ledger;

/// <summary>The expiry sweep's queries on the in-memory ledger, with the same answers as PostgreSQL's.</summary>
public sealed partial class InMemoryLedgerStore : IHoldExpiryStore
{
    private readonly Dictionary<string, (SweepPosition Position, DateTimeOffset? OwnPassAt)> _sweepPositions = new(StringComparer.Ordinal);

    public Task<IReadOnlyList<DueHold>> DueAsync(
        string region, SweepPosition after, DateTimeOffset now, int limit, CancellationToken cancellationToken)
    {
        lock (_accounts)
        {
            IReadOnlyList<DueHold> due = _accounts
                .Where(account => account.Value.Region == region)
                .SelectMany(account => DueHolds(account.Key, account.Value.BySeq.Values))
                .Where(hold => hold.Position.ExpiresAt <= now && hold.Position.CompareTo(after) > 0)
                .OrderBy(hold => hold.Position)
                .Take(limit)
                .ToList();
            return Task.FromResult(due);
        }
    }

    public Task<SweepPosition> PositionAsync(string region, CancellationToken cancellationToken)
    {
        lock (_sweepPositions)
        {
            return Task.FromResult(_sweepPositions.TryGetValue(region, out var saved) ? saved.Position : SweepPosition.Start);
        }
    }

    public Task SavePositionAsync(string region, SweepPosition position, DateTimeOffset? ownPassAt, CancellationToken cancellationToken)
    {
        lock (_sweepPositions)
        {
            _sweepPositions[region] = (position, ownPassAt ?? _sweepPositions.GetValueOrDefault(region).OwnPassAt);
            return Task.CompletedTask;
        }
    }

    public Task<DateTimeOffset?> LastOwnPassAsync(string region, CancellationToken cancellationToken)
    {
        lock (_sweepPositions)
        {
            return Task.FromResult(_sweepPositions.GetValueOrDefault(region).OwnPassAt);
        }
    }

    /// <summary>Each authorization's last row that set its expiry, unless a row after it released the hold.</summary>
    private static IEnumerable<DueHold> DueHolds(string accountId, IEnumerable<LedgerEntry> rows)
    {
        var open = new Dictionary<string, SweepPosition>(StringComparer.Ordinal);
        foreach (var row in rows)
        {
            var columns = row.Change.Columns(row);
            if (columns.AuthorizationId is not { } authorizationId)
            {
                continue;
            }

            if (columns.ExpiresAt is { } expiresAt)
            {
                open[authorizationId] = new SweepPosition(expiresAt, accountId, row.Seq);
            }

            if (columns.HoldClosed)
            {
                open.Remove(authorizationId);
            }
        }

        return open.Select(pair => new DueHold(accountId, pair.Key, pair.Value));
    }
}
