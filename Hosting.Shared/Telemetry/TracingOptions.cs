namespace Payments.Hosting.Telemetry;

/// <summary>
/// <c>Payments:Telemetry</c>: which share of requests is traced. A request's trace is decided once, where it enters
/// (the API, or the silo for its own background work such as a ledger commit), and every process it reaches follows
/// that decision, so a sampled payment is traced end to end. An unsampled request still has a trace id for its log
/// lines, but no span is recorded or exported for it.
/// </summary>
public sealed class TracingOptions
{
    public const string Section = "Payments:Telemetry";

    /// <summary>
    /// Between 0 and 1. Recording a span of every payment cost the API and the silo several microseconds and a few
    /// hundred bytes per request each (docs/benchmarks.md); at a region's peak a hundredth still gives a trace every
    /// few milliseconds.
    /// </summary>
    public double TraceSampleRatio { get; set; } = 0.01;

    public static bool IsValid(TracingOptions options) => options.TraceSampleRatio is >= 0 and <= 1;
}
