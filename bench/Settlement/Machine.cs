using System.Runtime.InteropServices;
using Npgsql;

namespace Payments.Bench.Settlement;

/// <summary>What the figures were measured on.</summary>
internal sealed record Machine(int Cores, string Memory, string Os, string Runtime, string Postgres)
{
    public static async Task<Machine> DescribeAsync(NpgsqlDataSource dataSource)
    {
        await using var command = dataSource.CreateCommand("SELECT current_setting('server_version')");
        var postgres = (string)(await command.ExecuteScalarAsync())!;
        return new Machine(Environment.ProcessorCount, MemoryTotal(), RuntimeInformation.OSDescription,
            RuntimeInformation.FrameworkDescription, $"PostgreSQL {postgres}");
    }

    /// <summary>The 1-minute load average: how busy the shared cores were.</summary>
    public static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ')[0] : "unknown";

    public override string ToString() => $"{Cores} cores, {Memory} RAM, {Os}, {Runtime}, {Postgres} (same machine)";

    private static string MemoryTotal()
    {
        var line = File.Exists("/proc/meminfo")
            ? File.ReadLines("/proc/meminfo").FirstOrDefault(l => l.StartsWith("MemTotal:", StringComparison.Ordinal))
            : null;
        return line is null
            ? "unknown"
            : $"{long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], System.Globalization.CultureInfo.InvariantCulture) / 1024 / 1024.0:F1} GiB";
    }
}
