using System.Globalization;
using System.Runtime.InteropServices;
using Npgsql;

namespace Payments.LoadGen.Machine;

/// <summary>The machine a run was measured on, as the report prints it.</summary>
public sealed record MachineInfo(int Cores, string CpuModel, double MemoryGiB, string OperatingSystem, string DotNet,
    string PostgreSql, string LoadAverage)
{
    public static async Task<MachineInfo> ReadAsync(string postgresConnectionString)
    {
        await using var dataSource = NpgsqlDataSource.Create(postgresConnectionString);
        await using var command = dataSource.CreateCommand("SHOW server_version");
        var postgres = (string?)await command.ExecuteScalarAsync() ?? "?";
        return new MachineInfo(
            Environment.ProcessorCount,
            FirstValue("/proc/cpuinfo", "model name") ?? RuntimeInformation.ProcessArchitecture.ToString(),
            double.Parse(FirstValue("/proc/meminfo", "MemTotal")?.Split(' ')[0] ?? "0", CultureInfo.InvariantCulture) / (1024 * 1024),
            FirstValue("/etc/os-release", "PRETTY_NAME", '=')?.Trim('"') ?? RuntimeInformation.OSDescription,
            RuntimeInformation.FrameworkDescription,
            postgres,
            LoadAverageNow());
    }

    /// <summary>The 1, 5 and 15 minute load averages: how busy the machine was apart from this run.</summary>
    public static string LoadAverageNow() =>
        File.Exists("/proc/loadavg") ? string.Join(" / ", File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "?";

    private static string? FirstValue(string path, string key, char separator = ':') =>
        File.Exists(path)
            ? File.ReadLines(path)
                .Select(line => line.Split(separator, 2))
                .Where(parts => parts.Length == 2 && parts[0].Trim() == key)
                .Select(parts => parts[1].Trim())
                .FirstOrDefault()
            : null;
}
