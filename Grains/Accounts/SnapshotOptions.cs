namespace Payments.Accounts;

/// <summary>
/// When an account writes its snapshot (the ledger is the truth meanwhile): once <see cref="EveryRows"/> rows are not in
/// it, and otherwise when the account has been idle for about a <see cref="Period"/> with rows not in it.
/// </summary>
public sealed class SnapshotOptions
{
    /// <summary>How often the snapshot reminder ticks while the account has rows its snapshot lacks.</summary>
    public TimeSpan Period { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// Rows not in the snapshot that make a busy account write one: what an activation replays at most after a crash
    /// (one indexed range read), and what keeps busy accounts from writing a snapshot every period.
    /// </summary>
    public int EveryRows { get; set; } = 1_000;
}
