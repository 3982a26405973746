namespace Payments.Settlement;

/// <summary>How the off-peak settlement runs (<c>Payments:Settlement</c>).</summary>
public sealed class SettlementOptions
{
    /// <summary>
    /// How long after a reset the closed day is settled: a payment decided just before the reset may still be
    /// committing (the ledger's group commit) and silo clocks differ a little. Longer than both.
    /// </summary>
    public TimeSpan Grace { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>Accounts per chunk: one statement, one transaction, one progress step.</summary>
    public int ChunkSize { get; set; } = 10_000;

    /// <summary>How many closed days back a tick looks for a day not settled (the region was down, a run crashed).</summary>
    public int LookbackDays { get; set; } = 7;
}
