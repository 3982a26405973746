using System.Diagnostics;
using Payments.Integration.Tests.Infrastructure;

namespace Payments.Integration.Tests;

/// <summary>
/// topology/local.topology is the one description of the local system: the scripts render every member's
/// configuration from it (<c>scripts/services.sh render</c>, nothing started), so adding a region is adding its rows.
/// </summary>
public sealed class LocalTopologyTests : IDisposable
{
    private static readonly string[] RegionC =
    [
        "site      region-c    region-c   address=10.77.31.14",
        "etcd      etcd-c      region-c   client=2385 peer=2386",
        "postgres  pg-c        region-c   port=55434 rest=8010",
        "redis     redis-c1    region-c   port=6384",
        "redis     redis-c2    region-c   port=6385",
        "sentinel  sentinel-c  region-c   port=26383",
        "silo      silo-c1     region-c   silo=11131 gateway=30020 http=8095",
        "api       api-c       region-c   http=5082",
    ];

    private readonly string _root = RealServers.FindRepositoryRoot();
    private readonly string _work = Directory.CreateTempSubdirectory("payments-topology-").FullName;

    [Fact]
    public void The_shipped_topology_gives_every_member_ports_of_its_own()
    {
        var ports = File.ReadLines(Shipped)
            .Where(line => line.Length > 0 && !line.StartsWith('#') && !line.StartsWith("setting", StringComparison.Ordinal))
            .SelectMany(line => line.Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(3))
            .Select(pair => pair.Split('=', 2))
            .Where(pair => int.TryParse(pair[1], out _))
            .Select(pair => pair[1])
            .ToList();

        Assert.Equal(ports.Count, ports.Distinct(StringComparer.Ordinal).Count());
        Assert.Equal(["region-a", "region-b"], LocalTopology.Read(Shipped, 0).Regions);
    }

    [Fact]
    public void A_third_region_added_in_the_topology_file_is_rendered_into_every_member_s_configuration()
    {
        var file = Path.Combine(_work, "three-regions.topology");
        File.WriteAllLines(file, File.ReadLines(Shipped).Concat(RegionC));
        var rendered = Path.Combine(_work, "rendered");

        Render(file, rendered);

        Assert.Equal(["region-a", "region-b", "region-c"], LocalTopology.Read(file, 0).Regions);
        Assert.Equal(4, Read(rendered, "etcd-initial-cluster").Split(',').Length);
        Assert.Contains("etcd-c=http://127.0.0.1:2386", Read(rendered, "etcd-initial-cluster"), StringComparison.Ordinal);
        var patroni = Read(rendered, "pg-c/patroni.yml");
        Assert.Contains("name: pg-c", patroni, StringComparison.Ordinal);
        Assert.Contains("listen: 127.0.0.1:55434", patroni, StringComparison.Ordinal);
        Assert.Contains("127.0.0.1:2385", patroni, StringComparison.Ordinal);
        // Four sentinels now: every one watches region-c's first Redis, with a majority of them as quorum.
        Assert.All(["sentinel-a", "sentinel-b", "sentinel-w", "sentinel-c"], sentinel => Assert.Contains(
            "sentinel monitor region-c 127.0.0.1 6384 3", Read(rendered, $"{sentinel}/sentinel.conf"), StringComparison.Ordinal));
        Assert.Contains("api-c region-c 127.0.0.1:5082", Read(rendered, "processes"), StringComparison.Ordinal);
        var connections = Read(rendered, "connections");
        Assert.Contains("Host=127.0.0.1:55432,127.0.0.1:55433,127.0.0.1:55434;", connections, StringComparison.Ordinal);
        Assert.Contains(
            "redis region-c: 127.0.0.1:26380,127.0.0.1:26381,127.0.0.1:26382,127.0.0.1:26383,serviceName=region-c",
            connections, StringComparison.Ordinal);
    }

    public void Dispose() => Directory.Delete(_work, recursive: true);

    private string Shipped => Path.Combine(_root, "topology", "local.topology");

    private void Render(string topology, string folder)
    {
        var start = new ProcessStartInfo("bash", [Path.Combine(_root, "scripts", "services.sh"), "render", folder])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.Environment["PAYMENTS_TOPOLOGY"] = topology;
        // The ports as the file writes them: scripts/test.sh runs this project with PAYMENTS_PORT_OFFSET=auto.
        start.Environment["PAYMENTS_PORT_OFFSET"] = "0";
        using var process = Process.Start(start)!;
        var errors = process.StandardError.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"services.sh render exited with {process.ExitCode}: {errors}");
    }

    private static string Read(string folder, string file) => File.ReadAllText(Path.Combine(folder, file));
}
