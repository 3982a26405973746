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

    /// <summary>
    /// The share of the time a run works, between 0 and 1: after each chunk it pauses so that chunks take at most this
    /// share (1, the default, never pauses). Below 1 the run leaves CPU to the payments of a busy database server;
    /// since the pause follows each chunk's own duration, it pauses longer when the server is busier.
    /// </summary>
    public double DutyCycle { get; set; } = 1.0;

    /// <summary>
    /// How often each silo checks that its region's settlement reminder exists and registers it again when not: Redis
    /// replicates asynchronously, so a replica that Sentinel promoted may lack the registration.
    /// </summary>
    public TimeSpan ReminderCheck { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>How many closed days back a tick looks for a day not settled (the region was down, a run crashed).</summary>
    public int LookbackDays { get; set; } = 7;
}
