using System.Text.Json;
using Payments.LoadGen.Checks;
using Payments.LoadGen.Machine;
using Payments.LoadGen.Running;

namespace Payments.LoadGen.Report;

/// <summary>One scenario against one system; an open loop says the payments per second it offered.</summary>
public sealed record ScenarioResult(string System, string Scenario, string Load, Measurement Measurement, double? OfferedPaymentsPerSecond = null);

/// <summary>Everything measured against one system, and its invariants afterwards.</summary>
/// <param name="Overload">The overload scenario, when it ran (Payments only).</param>
public sealed record SystemResult(
    string System, IReadOnlyList<ScenarioResult> Scenarios, IReadOnlyList<InvariantResult> Invariants, OverloadMeasurement? Overload)
{
    public ScenarioResult? Find(string scenario) => Scenarios.FirstOrDefault(s => s.Scenario == scenario);
}

/// <summary>A whole comparison run: where, how, and what it measured.</summary>
/// <param name="InProcess">The in-process benchmark's JSON (bench/InProcess), when it ran before.</param>
public sealed record BenchReport(
    string RunId,
    DateTimeOffset StartedAt,
    MachineInfo Machine,
    string MeasuredWhile,
    string Topology,
    string Workload,
    string Command,
    IReadOnlyList<SystemResult> Systems,
    JsonElement? InProcess,
    double PeakPaymentsPerSecond)
{
    public const string ClosedLoop = "closed loop";
    public const string OpenLoop = "open loop";
    public const string LighterOpenLoop = "open loop, lighter";
    public const string HotAccount = "hot account";
    public const string OverloadScenario = "overload";
    public const string Payments = "Payments";
    public const string Baseline = "Baseline";

    public ScenarioResult? Find(string system, string scenario) =>
        Systems.FirstOrDefault(s => s.System == system)?.Find(scenario);

    /// <summary>Payments' open loop at the region's peak rate, where #16's latency targets are judged.</summary>
    public ScenarioResult? AtPeak() => Systems.FirstOrDefault(s => s.System == Payments)?.Scenarios
        .FirstOrDefault(s => s.OfferedPaymentsPerSecond == PeakPaymentsPerSecond);

    public OverloadMeasurement? Overload => Systems.FirstOrDefault(s => s.System == Payments)?.Overload;

    public bool InvariantsHold => Systems.All(s => s.Invariants.All(i => i.Violations == 0));
}
