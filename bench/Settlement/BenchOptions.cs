using System.Globalization;

namespace Payments.Bench.Settlement;

/// <summary>The command line: <c>--name value</c> pairs, every one optional.</summary>
internal sealed record BenchOptions(
    string Postgres, string Database, int Accounts, int ChunkSize, double DutyCycle, int Payers, TimeSpan Baseline, bool WriteDocs)
{
    public const string Usage = """
        Settlement benchmark: a day of ledger rows for many accounts in a database of its own, the settlement of that day,
        and the latency of payments appended meanwhile compared with payments alone.

          --postgres <connection string>   server to use (default: the local one of scripts/services.sh)
          --database <name>                database to (re)create for the run (default: payments_bench)
          --accounts <n>                   accounts with activity on the day (default: 1000000)
          --chunk <n>                      accounts per settlement chunk (default: 10000)
          --duty <0..1>                    duty cycle of the second, throttled run under load (default: 0.5)
          --payers <n>                     concurrent closed-loop payers (default: 4, a few thousand payments/s: above a
                                           region's daily peak of about 1,500/s, and the settlement runs off-peak)
          --baseline-seconds <n>           how long payments are measured alone (default: 20)
          --no-docs                        print only; do not update docs/benchmarks.md
        """;

    public static BenchOptions Parse(string[] args)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < args.Length; i++)
        {
            if (args[i] == "--no-docs")
            {
                values[args[i]] = "";
            }
            else if (args[i].StartsWith("--", StringComparison.Ordinal) && i + 1 < args.Length)
            {
                values[args[i]] = args[++i];
            }
            else
            {
                throw new ArgumentException($"Unexpected argument '{args[i]}'.\n{Usage}");
            }
        }

        int Number(string name, int fallback) =>
            values.TryGetValue(name, out var text) ? int.Parse(text, CultureInfo.InvariantCulture) : fallback;

        return new BenchOptions(
            values.GetValueOrDefault("--postgres", "Host=127.0.0.1;Port=55432;Username=postgres;Database=payments"),
            values.GetValueOrDefault("--database", "payments_bench"),
            Number("--accounts", 1_000_000),
            Number("--chunk", 10_000),
            values.TryGetValue("--duty", out var duty) ? double.Parse(duty, CultureInfo.InvariantCulture) : 0.5,
            Number("--payers", 4),
            TimeSpan.FromSeconds(Number("--baseline-seconds", 20)),
            !values.ContainsKey("--no-docs"));
    }
}
