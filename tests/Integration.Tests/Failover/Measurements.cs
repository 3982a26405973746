using Payments.Integration.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Payments.Integration.Tests.Failover;

/// <summary>
/// Figures measured by a scenario (RTO, RPO, counts): printed to the test output and appended to
/// <c>.artifacts/failover/measurements.txt</c>, from which docs/failover.md takes its numbers. Never asserted on time.
/// </summary>
public sealed class Measurements(ITestOutputHelper output, RealServers servers)
{
    private static readonly Lock FileLock = new();

    public void Record(string scenario, string figures)
    {
        var line = $"{DateTimeOffset.UtcNow:yyyy-MM-dd HH:mm:ss}Z {scenario}: {figures}";
        output.WriteLine(line);
        var directory = Path.Combine(servers.RepositoryRoot, ".artifacts", "failover");
        Directory.CreateDirectory(directory);
        lock (FileLock)
        {
            File.AppendAllLines(Path.Combine(directory, "measurements.txt"), [line]);
        }
    }
}
