namespace Payments.Drill;

/// <summary>How a terminal talks to the APIs: short deadlines, and retries with the same key within a budget.</summary>
public sealed record TerminalOptions
{
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(1);

    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(3);

    /// <summary>How long a terminal keeps retrying one payment before it records it as unanswered.</summary>
    public TimeSpan RetryBudget { get; init; } = TimeSpan.FromSeconds(30);

    public TimeSpan RetryDelay { get; init; } = TimeSpan.FromMilliseconds(200);

    /// <summary>After an API could not be reached, how long the terminal sends to the next one first (doubling while it stays unreachable).</summary>
    public TimeSpan ApiQuarantine { get; init; } = TimeSpan.FromSeconds(5);
}
