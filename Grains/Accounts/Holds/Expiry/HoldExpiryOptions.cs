namespace Payments.Accounts.Holds.Expiry;

/// <summary>How each region's expiry sweep runs (<c>Payments:HoldExpiry</c>).</summary>
public sealed class HoldExpiryOptions
{
    public const string Section = "Payments:HoldExpiry";

    /// <summary>False: the sweep's timer never starts (grain tests, which sweep by hand on their fake clock).</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>How often a region sweeps: a release row is written at most this long (plus a pass) after its expiry.</summary>
    public TimeSpan Period { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>Holds read per query.</summary>
    public int BatchSize { get; set; } = 256;

    /// <summary>Queries per pass at most; what is left waits for the next pass.</summary>
    public int BatchesPerPass { get; set; } = 8;

    /// <summary>Accounts asked at once.</summary>
    public int Parallelism { get; set; } = 8;

    /// <summary>
    /// How far behind now a pass that found everything leaves its position: a hold whose row commits late (a slow
    /// commit, a silo's clock a little ahead) is still walked over by the next passes.
    /// </summary>
    public TimeSpan Overlap { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// How long after another region's sweep last passed this region's sweep stands in for it (the region is down):
    /// with the default period a hold of a lost region is released within a minute of its expiry, as of a live one.
    /// </summary>
    public TimeSpan TakeOverAfter { get; set; } = TimeSpan.FromSeconds(40);

    /// <summary>How often each silo checks that its region's sweep runs (and starts it on this silo if its silo was lost).</summary>
    public TimeSpan StartCheck { get; set; } = TimeSpan.FromSeconds(30);

    public static bool IsValid(HoldExpiryOptions options) =>
        options.Period > TimeSpan.Zero && options.Period <= TimeSpan.FromSeconds(30)
        && options.BatchSize is > 0 and <= 10_000
        && options.BatchesPerPass is > 0 and <= 1_000
        && options.Parallelism is > 0 and <= 256
        && options.Overlap >= TimeSpan.Zero
        && options.TakeOverAfter > options.Period
        && options.StartCheck > TimeSpan.Zero;
}
