using System.Globalization;

namespace Payments.InProcess;

/// <summary>The in-process benchmark's options (<c>--name value</c>).</summary>
public sealed record InProcessSettings(string Postgres, int Accounts, int Concurrency, TimeSpan WarmUp, TimeSpan Duration, string Json)
{
    public static InProcessSettings From(string[] args)
    {
        var values = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i + 1 < args.Length; i += 2)
        {
            values[args[i].TrimStart('-')] = args[i + 1];
        }

        double Number(string name, double fallback) =>
            values.TryGetValue(name, out var value) ? double.Parse(value, CultureInfo.InvariantCulture) : fallback;

        return new InProcessSettings(
            values.GetValueOrDefault("postgres") ?? "Host=127.0.0.1;Port=55432;Username=postgres;Database=payments_inprocess",
            (int)Number("accounts", 5_000),
            (int)Number("concurrency", 1_000),
            TimeSpan.FromSeconds(Number("warmup", 20)),
            TimeSpan.FromSeconds(Number("duration", 20)),
            values.GetValueOrDefault("json") ?? ".artifacts/bench/inprocess.json");
    }
}
