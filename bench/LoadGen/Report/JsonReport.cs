using System.Text.Json;

namespace Payments.LoadGen.Report;

/// <summary>The report as JSON, for tools: the same figures as the Markdown, without the histograms.</summary>
public static class JsonReport
{
    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    public static void Write(string path, BenchReport report)
    {
        var json = new
        {
            report.RunId,
            report.StartedAt,
            report.Machine,
            report.MeasuredWhile,
            report.Topology,
            report.Workload,
            report.Command,
            Targets = Targets.Judge(report),
            Scenarios = report.Systems.SelectMany(s => s.Scenarios).Select(s => new
            {
                s.System,
                s.Scenario,
                s.Load,
                Seconds = s.Measurement.Elapsed.TotalSeconds,
                s.Measurement.Counts.Requests,
                s.Measurement.RequestsPerSecond,
                Approved = s.Measurement.Counts.NewApprovals,
                ApprovedPerSecond = s.Measurement.ApprovalsPerSecond,
                LatencyMs = new
                {
                    P50 = s.Measurement.LatencyMs(50),
                    P90 = s.Measurement.LatencyMs(90),
                    P99 = s.Measurement.LatencyMs(99),
                    P999 = s.Measurement.LatencyMs(99.9),
                    Max = s.Measurement.MaxLatencyMs,
                },
                Mix = s.Measurement.Counts.Labels,
                s.Measurement.CoresUsed,
            }),
            Overload = report.Overload is { } overload
                ? new
                {
                    overload.Plan,
                    Phases = new[] { overload.During, overload.After }.Select(phase => new
                    {
                        phase.Name, phase.OfferedPerSecond, phase.Requests, phase.Approved, phase.Shed, phase.ShedWithoutRetryAfter,
                        phase.OtherErrors, phase.OverDeadline, phase.MaxLatencyMs, P99 = phase.LatencyMs(99), Mix = phase.Labels,
                    }),
                    P99BySecondAfter = Enumerable.Range(0, overload.AfterBySecond.Count).Select(overload.P99Ms),
                    overload.CoresUsed,
                }
                : null,
            Invariants = report.Systems.ToDictionary(s => s.System, s => s.Invariants),
            report.InProcess,
        };
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        File.WriteAllText(path, JsonSerializer.Serialize(json, Options));
    }
}
