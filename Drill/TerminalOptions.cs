namespace Payments.Drill;

/// <summary>Whether a terminal carries its own failover between the regions' APIs.</summary>
public enum TerminalMode
{
    /// <summary>After an API could not be reached, the terminal sends to the other region's API for a while.</summary>
    Failover,

    /// <summary>
    /// A plain client: it only knows its region's one address (the front door) and never switches; a timed-out or
    /// refused request is sent again to the same address with the same Idempotency-Key, as any client would.
    /// </summary>
    Plain,
}

/// <summary>How a terminal talks to the APIs: short deadlines, and retries with the same key within a budget.</summary>
public sealed record TerminalOptions
{
    public TerminalMode Mode { get; init; } = TerminalMode.Failover;

    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(1);

    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(3);

    /// <summary>How long a terminal keeps retrying one payment before it records it as unanswered.</summary>
    public TimeSpan RetryBudget { get; init; } = TimeSpan.FromSeconds(30);

    public TimeSpan RetryDelay { get; init; } = TimeSpan.FromMilliseconds(200);

    /// <summary>
    /// <see cref="TerminalMode.Failover"/> only: after an API could not be reached, how long the terminal sends to the
    /// next one first (doubling while it stays unreachable).
    /// </summary>
    public TimeSpan ApiQuarantine { get; init; } = TimeSpan.FromSeconds(5);
}
