namespace Payments.Api.Routing;

/// <summary>
/// How fast this API notices a cluster it cannot reach and how long it waits before trusting it again
/// (section <c>Payments:Routing</c>). The defaults aim at a failover in a few seconds: a payment takes milliseconds,
/// so a call that has not answered in <see cref="CallTimeout"/> is treated as lost, not slow.
/// </summary>
public sealed class RoutingOptions
{
    public const string Section = "Payments:Routing";

    /// <summary>How often each cluster is probed.</summary>
    public TimeSpan ProbeInterval { get; set; } = TimeSpan.FromMilliseconds(250);

    /// <summary>A probe that has not answered by then is a failure.</summary>
    public TimeSpan ProbeTimeout { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// A ping of the shared store (<see cref="SharedStoreWatch"/>) that has not answered by then says it is down. Above
    /// the connection string's connect timeout, so that a ping that first tries an unreachable host still reaches the primary.
    /// </summary>
    public TimeSpan StorePingTimeout { get; set; } = TimeSpan.FromSeconds(3);

    /// <summary>The deadline of one grain call made for a request.</summary>
    public TimeSpan CallTimeout { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Consecutive failures (probes or calls) that open a cluster's circuit breaker.</summary>
    public int FailureThreshold { get; set; } = 3;

    /// <summary>How long a cluster must answer without a single failure before its accounts return to it.</summary>
    public TimeSpan RecoveryPeriod { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How often the operator's routing switches are read again: a switch set on another API applies here within this time.</summary>
    public TimeSpan SwitchRefreshInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>How many account → home region entries are kept in memory.</summary>
    public long DirectoryCacheSize { get; set; } = 1_000_000;

    public static bool IsValid(RoutingOptions options) =>
        options.ProbeInterval > TimeSpan.Zero && options.ProbeTimeout > TimeSpan.Zero && options.StorePingTimeout > TimeSpan.Zero
        && options.CallTimeout > TimeSpan.Zero
        && options.RecoveryPeriod > TimeSpan.Zero && options.SwitchRefreshInterval > TimeSpan.Zero
        && options.FailureThreshold > 0 && options.DirectoryCacheSize > 0;
}
