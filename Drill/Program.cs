using System.Globalization;
using Payments.Drill;

// A failover drill's terminals: opens accounts in each region, pays from them until the time is up, prints a
// timeline (one line a second: answers per home region and deciding region) and writes every final answer to a CSV
// file, which scripts/failover-demo.sh checks against the ledger. Given each region's API (--api), the terminals carry
// their own failover between them; given each region's front door (--front-door), they are plain clients of it.
//
//   Payments.Drill --api region-a=http://127.0.0.1:5080 --api region-b=http://127.0.0.1:5081
//   Payments.Drill --front-door region-a=http://127.0.0.1:8080 --front-door region-b=http://127.0.0.1:8081
//                  [--seconds 40] [--accounts 6] [--run-id drill-1] [--outcomes outcomes.csv]
//                  [--admin-key dev-admin-key] [--terminal-key dev-terminal-key]
var options = DrillArguments.Parse(args);
var accounts = await AccountSetup.OpenAsync(options.Apis, options.AdminKey, options.RunId, options.AccountsPerRegion,
    initialBalance: 5_000_000, dailyLimit: 2_000_000);
Console.WriteLine($"{Clock.Now()} drill {options.RunId}: {accounts.Count} accounts, {options.Duration.TotalSeconds:0} s of payments, " +
    $"terminals in {options.Mode} mode");

using var terminal = new PaymentTerminal(options.Apis, options.TerminalKey, new TerminalOptions { Mode = options.Mode });
var fleet = new TerminalFleet(terminal, options.RunId, TimeSpan.FromMilliseconds(50));
using var stop = new CancellationTokenSource(options.Duration);
var load = fleet.RunAsync(accounts, stop.Token);
var reported = 0;
while (!load.IsCompleted)
{
    await Task.WhenAny(load, Task.Delay(TimeSpan.FromSeconds(1)));
    var outcomes = fleet.Outcomes.ToList();
    Console.WriteLine($"{Clock.Now()} {Timeline.Describe(outcomes.Skip(reported).ToList(), options.Apis.Keys)}");
    reported = outcomes.Count;
}

await load;
var all = fleet.Outcomes.ToList();
await File.WriteAllLinesAsync(options.OutcomesPath, OutcomeCsv.Lines(all));
Console.WriteLine($"{Clock.Now()} done: {all.Count} payments answered, " +
    $"{all.Count(o => o.Result == PaymentOutcome.Unanswered)} unanswered; outcomes in {options.OutcomesPath}");

/// <summary>The drill's command line.</summary>
/// <param name="Apis">Each region's address: its API, or its front door (then <paramref name="Mode"/> is plain).</param>
internal sealed record DrillArguments(
    Dictionary<string, Uri> Apis, TerminalMode Mode, TimeSpan Duration, int AccountsPerRegion, string RunId, string OutcomesPath,
    string AdminKey, string TerminalKey)
{
    public static DrillArguments Parse(string[] args)
    {
        var addresses = new Dictionary<string, Dictionary<string, Uri>>(StringComparer.Ordinal)
        {
            ["--api"] = new(StringComparer.Ordinal),
            ["--front-door"] = new(StringComparer.Ordinal),
        };
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i + 1 < args.Length; i += 2)
        {
            if (addresses.TryGetValue(args[i], out var byRegion))
            {
                var (region, url) = (args[i + 1].Split('=', 2)[0], args[i + 1].Split('=', 2)[1]);
                byRegion[region] = new Uri(url);
            }
            else
            {
                values[args[i]] = args[i + 1];
            }
        }

        var (apis, frontDoors) = (addresses["--api"], addresses["--front-door"]);
        if ((apis.Count == 0) == (frontDoors.Count == 0))
        {
            throw new ArgumentException("Give each region's API (--api region-a=http://127.0.0.1:5080 --api region-b=…) " +
                "or each region's front door (--front-door region-a=http://127.0.0.1:8080 --front-door region-b=…), not both.");
        }

        string Value(string name, string fallback) => values.GetValueOrDefault(name, fallback);
        return new DrillArguments(
            apis.Count > 0 ? apis : frontDoors,
            apis.Count > 0 ? TerminalMode.Failover : TerminalMode.Plain,
            TimeSpan.FromSeconds(int.Parse(Value("--seconds", "40"), CultureInfo.InvariantCulture)),
            int.Parse(Value("--accounts", "6"), CultureInfo.InvariantCulture),
            Value("--run-id", "drill-" + Guid.NewGuid().ToString("N")[..8]),
            Value("--outcomes", "outcomes.csv"),
            Value("--admin-key", "dev-admin-key"),
            Value("--terminal-key", "dev-terminal-key"));
    }
}

/// <summary>Wall-clock time as printed on every line, to line the drill up with the events of the script.</summary>
internal static class Clock
{
    public static string Now() => DateTimeOffset.UtcNow.ToString("HH:mm:ss.fff", CultureInfo.InvariantCulture);
}
