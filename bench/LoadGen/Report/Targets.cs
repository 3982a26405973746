using System.Globalization;
using System.Text.Json;

namespace Payments.LoadGen.Report;

/// <summary>A goal of issue #16 and whether the run met it.</summary>
public sealed record TargetCheck(string Target, string Measured, bool? Met, string Verdict);

/// <summary>The targets of issue #16 (latency at the region's peak, throughput per core, overload), judged from a report.</summary>
public static class Targets
{
    /// <summary>The p99 after an overload counts as normal again within this factor of the peak scenario's p99.</summary>
    public const double RecoveryTolerance = 1.25;

    private const double StallMs = 50;

    public static IReadOnlyList<TargetCheck> Judge(BenchReport report)
    {
        var closed = report.Find(BenchReport.Payments, BenchReport.ClosedLoop)?.Measurement;
        var peak = report.AtPeak()?.Measurement;
        var baseline = report.Find(BenchReport.Baseline, BenchReport.ClosedLoop)?.Measurement;
        double? inProcess = report.InProcess is { } json && json.TryGetProperty("approvedPerSecond", out var value)
            ? value.GetDouble()
            : null;
        var rate = report.PeakPaymentsPerSecond.ToString("N0", CultureInfo.InvariantCulture);
        return
        [
            AtMost($"p99 ≤ 10 ms at {rate} payments/s offered", peak?.LatencyMs(99), 10, " ms"),
            AtMost($"p99.9 ≤ 25 ms at {rate} payments/s offered", peak?.LatencyMs(99.9), 25, " ms"),
            AtMost($"no stall over {StallMs:0} ms at {rate} payments/s offered (max)", peak?.MaxLatencyMs, StallMs, " ms"),
            AtLeast("≥ 10,000 approved payments/s, closed loop", closed?.ApprovalsPerSecond, 10_000, "/s"),
            AtLeast("≥ 6× the baseline (approved/s, closed loop)",
                closed is not null && baseline is { ApprovalsPerSecond: > 0 } ? closed.ApprovalsPerSecond / baseline.ApprovalsPerSecond : null, 6, "×"),
            AtLeast("≥ 50,000 approved payments/s in process", inProcess, 50_000, "/s"),
            AtMost("CPU per approved payment, API + silo + PostgreSQL ≤ 150 µs (closed loop)", closed is null ? null : CpuPerApprovalMicros(closed), 150, " µs"),
            .. Overload(report, peak),
        ];
    }

    /// <summary>CPU time of the API, the silos and PostgreSQL per approved payment, in microseconds.</summary>
    public static double? CpuPerApprovalMicros(Running.Measurement measurement) => measurement.ApprovalsPerSecond <= 0
        ? null
        : measurement.CoresUsed.Where(pair => IsPaymentsPath(pair.Key)).Sum(pair => pair.Value) * 1e6 / measurement.ApprovalsPerSecond;

    private static bool IsPaymentsPath(string process) =>
        process == "api" || process.StartsWith("silo", StringComparison.Ordinal) || process.StartsWith("postgresql", StringComparison.Ordinal);

    private static IEnumerable<TargetCheck> Overload(BenchReport report, Running.Measurement? peak)
    {
        if (report.Overload is not { } overload)
        {
            yield break;
        }

        var during = overload.During;
        var deadline = overload.Plan.Deadline.TotalSeconds.ToString("0.#", CultureInfo.InvariantCulture);
        var late = during.OverDeadline + overload.After.OverDeadline;
        yield return new($"overload: every request answered within the API's deadline ({deadline} s)",
            string.Create(CultureInfo.InvariantCulture, $"{late:N0} later (max {Math.Max(during.MaxLatencyMs, overload.After.MaxLatencyMs):0} ms)"),
            late == 0, late == 0 ? "met" : string.Create(CultureInfo.InvariantCulture, $"missed: {late:N0} of {during.Requests + overload.After.Requests:N0}"));
        var wrong = during.ShedWithoutRetryAfter + during.OtherErrors;
        yield return new("overload: the excess shed as 503 unavailable with Retry-After, nothing else failing",
            string.Create(CultureInfo.InvariantCulture, $"{during.Shed:N0} shed, {during.ShedWithoutRetryAfter:N0} without Retry-After, {during.OtherErrors:N0} other errors"),
            wrong == 0, wrong == 0 ? "met" : "missed");
        if (peak is null)
        {
            yield break;
        }

        var normal = peak.LatencyMs(99);
        var recovered = overload.RecoveredAfterSeconds(normal, RecoveryTolerance);
        yield return new(string.Create(CultureInfo.InvariantCulture, $"overload: the normal p99 ({normal:0.0} ms × {RecoveryTolerance}) within 5 s after"),
            recovered is { } seconds ? $"after {seconds} s" : "not within the run",
            recovered <= 5, recovered <= 5 ? "met" : recovered is { } s ? $"missed by {s - 5} s" : "missed");
    }

    private static TargetCheck AtLeast(string target, double? measured, double goal, string unit) => measured is not { } value
        ? new(target, "not measured", null, "not measured")
        : value >= goal
            ? new(target, Format(value, unit), true, "met")
            : new(target, Format(value, unit), false, string.Create(CultureInfo.InvariantCulture, $"missed by {(goal - value) / goal:P0}"));

    private static TargetCheck AtMost(string target, double? measured, double goal, string unit) => measured is not { } value
        ? new(target, "not measured", null, "not measured")
        : value <= goal
            ? new(target, Format(value, unit), true, "met")
            : new(target, Format(value, unit), false, string.Create(CultureInfo.InvariantCulture, $"missed: {value / goal:0.0}× the goal"));

    private static string Format(double value, string unit) => unit switch
    {
        "×" => value.ToString("0.00", CultureInfo.InvariantCulture) + unit,
        " ms" => value.ToString("0.0", CultureInfo.InvariantCulture) + unit,
        _ => value.ToString("N0", CultureInfo.InvariantCulture) + unit,
    };

    /// <summary>The in-process figures as a list of label/value pairs, for the report.</summary>
    public static IEnumerable<(string Label, string Value)> InProcessFigures(JsonElement json) =>
        json.EnumerateObject().Select(property => (Words(property.Name), property.Value.ValueKind == JsonValueKind.Number
            ? property.Value.GetDouble().ToString("#,0.##", CultureInfo.InvariantCulture)
            : property.Value.ToString()));

    // "approvedPerSecond" -> "approved per second".
    private static string Words(string camelCase) =>
        string.Concat(camelCase.Select(c => char.IsUpper(c) ? " " + char.ToLowerInvariant(c) : c.ToString()));
}
