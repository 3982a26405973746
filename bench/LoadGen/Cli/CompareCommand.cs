using System.Globalization;
using System.Text.Json;
using Payments.LoadGen.Checks;
using Payments.LoadGen.Http;
using Payments.LoadGen.Machine;
using Payments.LoadGen.Report;
using Payments.LoadGen.Running;
using Payments.LoadGen.Setup;
using Payments.LoadGen.Workload;

namespace Payments.LoadGen.Cli;

/// <summary>
/// The whole comparison: for Payments and then the baseline, open the accounts, run the closed-loop, open-loop and
/// hot-account scenarios, check the invariants in the system's database, then write the report.
/// Exit code 0 when every invariant held (a missed performance target is reported, not failed).
/// </summary>
public static class CompareCommand
{
    public static async Task<int> RunAsync(Arguments args)
    {
        var settings = CompareSettings.From(args);
        var startedAt = DateTimeOffset.UtcNow;
        var runId = "r" + startedAt.ToString("MMddHHmmss", CultureInfo.InvariantCulture);
        var machine = await MachineInfo.ReadAsync(settings.PaymentsDatabase);
        var cpu = CpuMeter.FromArguments(settings.Processes, settings.Postmasters);
        var accounts = new AccountSet(runId, settings.Accounts, settings.ZipfExponent);

        var systems = new List<SystemResult>
        {
            await BenchAsync(BenchReport.Payments, settings.Payments, settings.PaymentsDatabase, LedgerDialect.Payments, settings, runId, accounts, cpu),
        };
        if (settings.Baseline is not null)
        {
            var database = settings.BaselineDatabase ?? throw new ArgumentException("--baseline-db is required with --baseline.");
            systems.Add(await BenchAsync(BenchReport.Baseline, settings.Baseline, database, LedgerDialect.Baseline, settings, runId, accounts, cpu));
        }

        JsonElement? inProcess = settings.InProcessJson is { } path && File.Exists(path)
            ? JsonDocument.Parse(await File.ReadAllTextAsync(path)).RootElement
            : null;
        var report = new BenchReport(runId, startedAt, machine, settings.MeasuredWhile, settings.Topology,
            settings.Describe(accounts.HottestShare), settings.Command, systems, inProcess, settings.PeakPaymentsPerSecond);
        var markdown = MarkdownReport.Render(report);
        JsonReport.Write(settings.Json, report);
        BenchmarkDocument.Publish(settings.Doc, markdown, "loadgen", settings.Json);
        if (!report.InvariantsHold)
        {
            Console.WriteLine("INVARIANT VIOLATED: see the invariants table.");
            return 1;
        }

        return 0;
    }

    private static async Task<SystemResult> BenchAsync(
        string system, Uri url, string database, LedgerDialect dialect, CompareSettings settings, string runId,
        AccountSet accounts, CpuMeter cpu)
    {
        using var api = new ApiClient(url, Math.Max(settings.Terminals, 1024), settings.Keys);
        var hot = AccountSet.Hot(runId);
        await AccountSeeder.OpenAsync(api, [.. accounts.All, hot], system);

        var recent = new RecentPayments();
        var holds = new OpenHolds();
        var recorder = new RunRecorder(recent, holds);
        // The baseline has no holds: its mix has none either.
        var shares = system == BenchReport.Payments ? MixShares.Realistic : MixShares.Realistic.WithoutHolds;
        var mix = new OperationMix(accounts.Pick, shares, $"{runId}-k", recent, holds);
        var hotMix = new OperationMix(_ => hot, MixShares.PaymentsOnly, $"{runId}-h", recent, holds);
        var scenarios = new List<ScenarioResult>();

        // Fresh processes spend a core on tiered JIT compilation for their first half-minute or so of load.
        using (var window = Window(system, BenchReport.ClosedLoop, recorder, cpu, settings, settings.Duration, settings.ProcessWarmUp))
        {
            var measured = await ClosedLoop.RunAsync(api, mix, recorder, settings.Terminals, window);
            scenarios.Add(new(system, BenchReport.ClosedLoop, $"{settings.Terminals} terminals", measured));
        }

        async Task OpenLoopAsync(string scenario, double paymentsPerSecond)
        {
            var requestRate = paymentsPerSecond / shares.PaymentShare;
            using var window = Window(system, scenario, recorder, cpu, settings, settings.Duration);
            var measured = await OpenLoop.RunAsync(api, mix, recorder, requestRate, window);
            scenarios.Add(new(system, scenario, string.Create(CultureInfo.InvariantCulture,
                $"{paymentsPerSecond:N0} payments/s offered ({requestRate:N0} req/s)"), measured, paymentsPerSecond));
        }

        await OpenLoopAsync(BenchReport.OpenLoop, settings.OpenLoopPaymentsPerSecond);
        // Only for Payments: the baseline saturates near 1,500 payments/s already (its closed loop).
        if (system == BenchReport.Payments)
        {
            foreach (var rate in settings.LighterOpenLoopRates)
            {
                await OpenLoopAsync(BenchReport.LighterOpenLoop, rate);
            }
        }

        using (var window = Window(system, BenchReport.HotAccount, recorder, cpu, settings, settings.HotDuration))
        {
            var measured = await ClosedLoop.RunAsync(api, hotMix, recorder, settings.HotTerminals, window);
            scenarios.Add(new(system, BenchReport.HotAccount, $"{settings.HotTerminals} terminals, 1 account", measured));
        }

        // Last, so that what it leaves behind cannot disturb another scenario; only for Payments (the baseline has no
        // shedding to show: it queues from 1,000 payments/s on).
        OverloadMeasurement? overload = null;
        if (system == BenchReport.Payments && settings.OverloadDuration > TimeSpan.Zero
            && scenarios.Find(s => s.Scenario == BenchReport.ClosedLoop) is { } closed)
        {
            var saturation = closed.Measurement.RequestsPerSecond;
            var plan = new OverloadPlan(saturation, saturation * settings.OverloadFactor,
                settings.PeakPaymentsPerSecond / shares.PaymentShare, settings.OverloadDuration, settings.OverloadAfter,
                settings.Deadline);
            // No warm-up: the system is warm, and the overload starts at once.
            using var window = new MeasurementWindow($"{system} {BenchReport.OverloadScenario}", recorder, cpu, TimeSpan.Zero,
                settings.OverloadDuration + settings.OverloadAfter);
            overload = await Overload.RunAsync(api, mix, recorder, plan, window);
        }

        Console.WriteLine($"[{system}] checking invariants in the ledger...");
        var checker = new InvariantChecker(database, dialect, runId);
        var invariants = await checker.CheckAsync(
            recorder.Recorded, recorder.RetryMismatches, api, [hot.AccountId, .. accounts.All.Select(a => a.AccountId)]);
        foreach (var invariant in invariants)
        {
            Console.WriteLine($"[{system}] {(invariant.Violations == 0 ? "holds" : "VIOLATED")}: {invariant.Invariant} ({invariant.Violations} violations; {invariant.Scope})");
        }

        return new SystemResult(system, scenarios, invariants, overload);
    }

    private static MeasurementWindow Window(
        string system, string scenario, RunRecorder recorder, CpuMeter cpu, CompareSettings settings, TimeSpan duration,
        TimeSpan extraWarmUp = default) =>
        new($"{system} {scenario}", recorder, cpu, settings.WarmUp + extraWarmUp, duration);
}
