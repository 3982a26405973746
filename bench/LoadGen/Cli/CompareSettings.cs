using System.Globalization;
using Payments.LoadGen.Http;

namespace Payments.LoadGen.Cli;

/// <summary>The knobs of a comparison run, with the defaults that keep the whole run within a few minutes.</summary>
public sealed record CompareSettings(
    Uri Payments,
    string PaymentsDatabase,
    Uri? Baseline,
    string? BaselineDatabase,
    int Accounts,
    double ZipfExponent,
    int Terminals,
    int HotTerminals,
    double OpenLoopPaymentsPerSecond,
    IReadOnlyList<double> LighterOpenLoopRates,
    TimeSpan WarmUp,
    TimeSpan ProcessWarmUp,
    TimeSpan Duration,
    TimeSpan HotDuration,
    string? InProcessJson,
    string Doc,
    string Json,
    string MeasuredWhile,
    string Topology,
    string Command,
    string? Processes,
    string? Postmasters,
    ApiKeys Keys,
    double PeakPaymentsPerSecond,
    double OverloadFactor,
    TimeSpan OverloadDuration,
    TimeSpan OverloadAfter,
    TimeSpan Deadline)
{
    public static CompareSettings From(Arguments args) => new(
        new Uri(args.RequiredText("payments")),
        args.RequiredText("payments-db"),
        args.OptionalText("baseline") is { } baseline ? new Uri(baseline) : null,
        args.OptionalText("baseline-db"),
        args.Int("accounts", 10_000),
        args.Double("zipf", 0.7),
        args.Int("terminals", 256),
        args.Int("hot-terminals", 64),
        args.Double("open-rate", 5_000),
        args.Doubles("lighter-open-rates", "1500,3000"),
        args.Seconds("warmup", 5),
        args.Seconds("process-warmup", 30),
        args.Seconds("duration", 20),
        args.Seconds("hot-duration", 15),
        args.OptionalText("inprocess-json"),
        args.Text("doc", "docs/benchmarks.md"),
        args.Text("json", ".artifacts/bench/loadgen.json"),
        args.Text("note", "nothing else was known to run."),
        args.Text("topology", "as started by scripts/bench.sh."),
        args.Text("command", "scripts/bench.sh"),
        args.OptionalText("processes"),
        args.OptionalText("postmasters"),
        new ApiKeys(args.Text("admin-key", ApiKeys.Dev.Admin), args.Text("terminal-key", ApiKeys.Dev.Terminal)),
        args.Double("peak-rate", 1_500),
        args.Double("overload-factor", 2),
        args.Seconds("overload-duration", 60),
        args.Seconds("overload-after", 20),
        // The API's deadline for a grain call (Payments:Routing:CallTimeout), after which it answers 503 itself.
        args.Seconds("deadline", 2));

    private string Lighter() => LighterOpenLoopRates.Count == 0
        ? ""
        : $" (Payments also at {string.Join(" and ", LighterOpenLoopRates.Select(rate => rate.ToString("N0", CultureInfo.InvariantCulture)))} payments/s: its latency below saturation)";

    public string Describe(double hottestShare) => string.Join(' ',
        string.Create(CultureInfo.InvariantCulture,
            $"{Accounts:N0} accounts, Zipf exponent {ZipfExponent} (the busiest account gets {hottestShare:P1} of the requests);"),
        "70 % small payments (1.00–50.00 EUR), 4 % over the per-payment ceiling, 1 % in a blocked category,",
        "5 % retries of a recent Idempotency-Key, 2 % deposits (admin key), 8 % balance reads, 5 % authorizations",
        "(10.00–200.00 EUR) and 5 % follow-ups of a pending one (final captures of part or all of the hold, partial captures,",
        "full and partial reversals, increments, captures beyond the cap that must be refused); the baseline, which has no",
        "holds, gets those 10 % as small payments. One account in 50 has a daily ceiling of 200.00 EUR.",
        string.Create(CultureInfo.InvariantCulture,
            $"Closed loop: {Terminals} terminals. Open loop: {OpenLoopPaymentsPerSecond:N0} payments/s offered{Lighter()}."),
        string.Create(CultureInfo.InvariantCulture,
            $"Hot account: {HotTerminals} terminals paying one account. Each scenario: {WarmUp.TotalSeconds:0} s warm-up, then"),
        string.Create(CultureInfo.InvariantCulture,
            $"{Duration.TotalSeconds:0} s measured ({HotDuration.TotalSeconds:0} s for the hot account)."),
        OverloadDuration > TimeSpan.Zero
            ? string.Create(CultureInfo.InvariantCulture,
                $"Overload (Payments): {OverloadFactor:0.#}× the closed loop's requests per second offered for {OverloadDuration.TotalSeconds:0} s, then {PeakPaymentsPerSecond:N0} payments/s for {OverloadAfter.TotalSeconds:0} s.")
            : "",
        string.Create(CultureInfo.InvariantCulture,
            $"Each system's first scenario warms up {ProcessWarmUp.TotalSeconds:0} s longer, until the runtime has compiled its hot code for good, as in a process that has served for hours."));
}
