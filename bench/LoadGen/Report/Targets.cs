using System.Globalization;
using System.Text.Json;

namespace Payments.LoadGen.Report;

/// <summary>A goal of issue #6 and whether the run met it.</summary>
public sealed record TargetCheck(string Target, string Measured, bool? Met, string Verdict);

/// <summary>The four targets, judged from a report.</summary>
public static class Targets
{
    public static IReadOnlyList<TargetCheck> Judge(BenchReport report)
    {
        var closed = report.Find(BenchReport.Payments, BenchReport.ClosedLoop)?.Measurement;
        var open = report.Find(BenchReport.Payments, BenchReport.OpenLoop)?.Measurement;
        var baseline = report.Find(BenchReport.Baseline, BenchReport.ClosedLoop)?.Measurement;
        double? inProcess = report.InProcess is { } json && json.TryGetProperty("approvedPerSecond", out var value)
            ? value.GetDouble()
            : null;
        return
        [
            AtLeast("≥ 20,000 approved durable payments/s end to end", closed?.ApprovalsPerSecond, 20_000, "/s"),
            AtMost("p99 ≤ 10 ms at 5,000 payments/s offered", open?.LatencyMs(99), 10, " ms"),
            AtLeast("≥ 3× the baseline (approved/s, closed loop)",
                closed is not null && baseline is { ApprovalsPerSecond: > 0 } ? closed.ApprovalsPerSecond / baseline.ApprovalsPerSecond : null, 3, "×"),
            AtLeast("≥ 50,000 approved payments/s in process", inProcess, 50_000, "/s"),
        ];
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
