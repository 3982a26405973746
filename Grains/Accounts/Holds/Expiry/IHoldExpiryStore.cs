namespace Payments.Accounts.Holds.Expiry;

/// <summary>Where a region's expiry sweep finds the holds that fell due, and where it keeps how far it got.</summary>
public interface IHoldExpiryStore
{
    /// <summary>
    /// The region's pending holds whose expiry is at or before <paramref name="now"/> and after <paramref name="after"/>
    /// in the sweep's order (expiry, account, seq), at most <paramref name="limit"/>, in that order. Pending: no row of
    /// the authorization after the one that set its expiry released it or moved the expiry.
    /// </summary>
    Task<IReadOnlyList<DueHold>> DueAsync(string region, SweepPosition after, DateTimeOffset now, int limit, CancellationToken cancellationToken);

    /// <summary>How far the region's sweep got; <see cref="SweepPosition.Start"/> before its first pass.</summary>
    Task<SweepPosition> PositionAsync(string region, CancellationToken cancellationToken);

    /// <summary>
    /// Saves how far the region's sweep got. <paramref name="ownPassAt"/> is set when the region's own sweep saves (it
    /// does at least once a pass), null when another region's sweep, standing in for it, does.
    /// </summary>
    Task SavePositionAsync(string region, SweepPosition position, DateTimeOffset? ownPassAt, CancellationToken cancellationToken);

    /// <summary>When the region's own sweep last saved; null when it never did.</summary>
    Task<DateTimeOffset?> LastOwnPassAsync(string region, CancellationToken cancellationToken);
}

/// <summary>A pending hold that fell due: the row that set its expiry.</summary>
public sealed record DueHold(string AccountId, string AuthorizationId, SweepPosition Position);

/// <summary>A place in the sweep's order of rows that set an expiry: by expiry, then account, then seq.</summary>
public readonly record struct SweepPosition(DateTimeOffset ExpiresAt, string AccountId, long Seq) : IComparable<SweepPosition>
{
    /// <summary>Before every row.</summary>
    public static readonly SweepPosition Start = new(DateTimeOffset.UnixEpoch, "", 0);

    /// <summary>Before every row that expires at <paramref name="instant"/> or later.</summary>
    public static SweepPosition Before(DateTimeOffset instant) => new(instant, "", 0);

    /// <summary>Just before this row: a pass that starts there sweeps the row again.</summary>
    public SweepPosition JustBefore() => this with { Seq = Seq - 1 };

    public int CompareTo(SweepPosition other)
    {
        var byExpiry = ExpiresAt.CompareTo(other.ExpiresAt);
        if (byExpiry != 0)
        {
            return byExpiry;
        }

        var byAccount = string.CompareOrdinal(AccountId, other.AccountId);
        return byAccount != 0 ? byAccount : Seq.CompareTo(other.Seq);
    }

    public static SweepPosition Min(SweepPosition a, SweepPosition b) => a.CompareTo(b) <= 0 ? a : b;

    public static SweepPosition Max(SweepPosition a, SweepPosition b) => a.CompareTo(b) >= 0 ? a : b;
}
