using System.Diagnostics;
using System.Globalization;

namespace Payments.LoadGen.Machine;

/// <summary>
/// Cores used per process group between two instants, from /proc (Linux): the load generator itself, the processes
/// named on the command line, PostgreSQL, and the whole machine. This is the cheapest profile there is: it says who
/// the cores went to during a measured window.
/// </summary>
/// <remarks>
/// PostgreSQL is the benchmark's own servers when their postmasters are named (each postmaster and the processes it
/// started: the primary's backends and the standby's WAL receiver and startup process), else every process named
/// postgres on the machine, which on a shared machine includes other instances.
/// </remarks>
public sealed class CpuMeter(IReadOnlyDictionary<string, int> processes, IReadOnlySet<int> postmasters)
{
    private const double TicksPerSecond = 100; // USER_HZ on Linux
    private const string Machine = "whole machine";

    public static CpuMeter FromArguments(string? namedPids, string? postmasterPids) => new(
        (namedPids ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(pair => pair.Split('='))
            .ToDictionary(pair => pair[0], pair => int.Parse(pair[1], CultureInfo.InvariantCulture), StringComparer.Ordinal),
        (postmasterPids ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(pid => int.Parse(pid, CultureInfo.InvariantCulture)).ToHashSet());

    private string PostgresLabel => postmasters.Count == 0 ? "postgresql (all backends)" : "postgresql (primary and standby)";

    public CpuSnapshot Take()
    {
        var ticks = new Dictionary<string, long>(StringComparer.Ordinal)
        {
            ["load generator"] = ProcessTicks(Environment.ProcessId),
            [PostgresLabel] = PostgresTicks(),
            [Machine] = MachineBusyTicks(),
        };
        foreach (var (name, pid) in processes)
        {
            ticks[name] = ProcessTicks(pid);
        }

        return new CpuSnapshot(Stopwatch.GetTimestamp(), ticks);
    }

    /// <summary>Cores each group used between the snapshots (1.0 = one core busy all the time).</summary>
    public static IReadOnlyDictionary<string, double> CoresUsed(CpuSnapshot from, CpuSnapshot to)
    {
        var seconds = Stopwatch.GetElapsedTime(from.Timestamp, to.Timestamp).TotalSeconds;
        return to.Ticks.ToDictionary(
            pair => pair.Key,
            pair => Math.Max(0, pair.Value - from.Ticks.GetValueOrDefault(pair.Key)) / TicksPerSecond / seconds,
            StringComparer.Ordinal);
    }

    private static long ProcessTicks(int pid) => StatFields(pid) is { } fields ? Ticks(fields) : 0;

    /// <summary>The fields of /proc/pid/stat after the command name (which may hold spaces); null once the process is gone.</summary>
    private static string[]? StatFields(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            return stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        }
        catch (IOException)
        {
            return null;
        }
    }

    // utime and stime are the 12th and 13th fields after the command name; the parent's pid is the 2nd.
    private static long Ticks(string[] fields) =>
        long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);

    private long PostgresTicks()
    {
        var total = 0L;
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            var name = Path.GetFileName(directory);
            if (!int.TryParse(name, NumberStyles.None, CultureInfo.InvariantCulture, out var pid))
            {
                continue;
            }

            try
            {
                if (File.ReadAllText(Path.Combine(directory, "comm")).Trim() != "postgres" || StatFields(pid) is not { } fields)
                {
                    continue;
                }

                if (postmasters.Count == 0 || postmasters.Contains(pid)
                    || postmasters.Contains(int.Parse(fields[1], CultureInfo.InvariantCulture)))
                {
                    total += Ticks(fields);
                }
            }
            catch (IOException)
            {
                // The process ended between listing and reading.
            }
        }

        return total;
    }

    private static long MachineBusyTicks()
    {
        // cpu  user nice system idle iowait irq softirq steal ...: busy = all but idle and iowait.
        var fields = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries)[1..]
            .Select(value => long.Parse(value, CultureInfo.InvariantCulture)).ToArray();
        return fields.Take(8).Sum() - fields[3] - fields[4];
    }
}

/// <summary>CPU ticks per process group at one instant.</summary>
public sealed record CpuSnapshot(long Timestamp, IReadOnlyDictionary<string, long> Ticks);
