using Payments.Integration.Tests.Infrastructure;
using Payments.K8s.Tests.Infrastructure;

namespace Payments.K8s.Tests;

/// <summary>
/// Adding a region is its lines in k8s/regions plus its overlay, nothing else: a copy of the repository's k8s folder
/// gets exactly those edits for a region-c (made the way docs/operations.md says), and the rendered three regions are
/// checked like the two real ones.
/// </summary>
public sealed class ThreeRegionTopologyTests : IClassFixture<ThreeRegionTopologyTests.ThreeRegions>
{
    private const string NewRegion = "region-c";
    private const string Template = "region-b";

    private static readonly string[] AllRegions = [.. RenderedManifests.RegionOverlays, NewRegion];

    private readonly RenderedManifests _manifests;
    private readonly NetworkPolicies _policies;

    public ThreeRegionTopologyTests(ThreeRegions regions)
    {
        _manifests = regions.Manifests;
        _policies = new NetworkPolicies(_manifests);
    }

    public static TheoryData<string> Regions => [.. AllRegions];

    [Theory]
    [MemberData(nameof(Regions))]
    public void Each_region_is_its_own_namespace_and_orleans_cluster(string region)
    {
        var @namespace = RenderedManifests.RegionNamespace(region);
        var silo = _manifests.Get("Deployment", @namespace, "silo");

        Assert.Equal(region, _policies.NamespaceLabels(@namespace).GetValueOrDefault("payments/region"));
        Assert.Equal(region, _manifests.Environment(silo, Assert.Single(silo.Containers)).GetValueOrDefault("Payments__Region"));
        Assert.Equal(region, silo.PodLabels.GetValueOrDefault("orleans/clusterId"));
        Assert.All(_manifests.Resources.Where(r => r.Overlay == region), r => Assert.Equal(@namespace, r.Namespace));
    }

    [Theory]
    [MemberData(nameof(Regions))]
    public void Each_region_knows_every_region_s_cluster_and_rules(string region)
    {
        var @namespace = RenderedManifests.RegionNamespace(region);
        var api = _manifests.Get("Deployment", @namespace, "api");
        var apiEnvironment = _manifests.Environment(api, Assert.Single(api.Containers));
        var silo = _manifests.Get("Deployment", @namespace, "silo");
        var siloEnvironment = _manifests.Environment(silo, Assert.Single(silo.Containers));

        Assert.All(AllRegions, target =>
        {
            Assert.Contains($".redis-sentinel-headless.{RenderedManifests.RegionNamespace(target)}.svc.cluster.local:26379",
                apiEnvironment.GetValueOrDefault($"Payments__Clusters__{target}__Redis") ?? "", StringComparison.Ordinal);
            Assert.NotNull(siloEnvironment.GetValueOrDefault($"Payments__Regions__{target}__TimeZone"));
        });
    }

    [Theory]
    [MemberData(nameof(Regions))]
    public void Network_policies_let_every_api_reach_every_cluster_and_each_region_the_store(string region)
    {
        var @namespace = RenderedManifests.RegionNamespace(region);
        var ledger = new LedgerCluster(_manifests);

        Assert.All(AllRegions.Select(RenderedManifests.RegionNamespace), other =>
        {
            var api = _policies.PodOf(other, "api");
            Assert.True(_policies.Allows(api, _policies.PodOf(@namespace, "silo"), 30000), $"{other} api → {@namespace} gateway");
            Assert.True(_policies.Allows(api, _policies.PodOf(@namespace, "redis-sentinel"), 26379), $"{other} api → {@namespace} sentinels");
            Assert.Equal(other == @namespace, _policies.Allows(_policies.PodOf(other, "silo"), _policies.PodOf(@namespace, "redis"), 6379));
        });
        Assert.True(_policies.Allows(_policies.PodOf(@namespace, "silo"), ledger.Member("master"), 5432));
        Assert.True(_policies.Allows(_policies.PodOf(@namespace, "api"), ledger.Member("master"), 5432));
    }

    [Theory]
    [MemberData(nameof(Regions))]
    public void Each_region_has_its_public_api_entry(string region) => ApiEntry.Check(_manifests, region);

    [Fact]
    public void The_store_needs_no_change_for_a_new_region()
    {
        // The data overlay names no region: it renders the same with three regions as with two.
        Assert.Equal([RenderedManifests.DataOverlay, RenderedManifests.MonitoringOverlay, .. AllRegions], _manifests.Overlays.Order(StringComparer.Ordinal));
        Assert.Equal(new RenderedManifests().Yaml[RenderedManifests.DataOverlay], _manifests.Yaml[RenderedManifests.DataOverlay]);
    }

    [Fact]
    public void The_local_topology_and_the_kubernetes_overlays_name_the_same_regions()
    {
        // topology/local.topology lists the local regions (scripts, fixtures); k8s/regions and the region overlays list
        // the Kubernetes ones: a region added to one and not the other is caught here.
        var local = LocalTopology.Read(RepositoryRoot.Combine("topology", "local.topology"), portOffset: 0);
        var rules = File.ReadAllLines(RepositoryRoot.Combine("k8s", "regions", "rules.env"))
            .Select(line => line.Split("__", StringSplitOptions.None))
            .Where(parts => parts.Length > 2 && parts[0] == "Payments" && parts[1] == "Regions")
            .Select(parts => parts[2])
            .Distinct();

        var overlays = Directory.GetDirectories(RepositoryRoot.Combine("k8s", "overlays")).Select(Path.GetFileName)
            .Except([RenderedManifests.DataOverlay, RenderedManifests.MonitoringOverlay]);

        Assert.Equal(RenderedManifests.RegionOverlays.Order(StringComparer.Ordinal), overlays.Order(StringComparer.Ordinal));
        Assert.Equal(RenderedManifests.RegionOverlays.Order(StringComparer.Ordinal), local.Regions.Order(StringComparer.Ordinal));
        Assert.Equal(RenderedManifests.RegionOverlays.Order(StringComparer.Ordinal), rules.Order(StringComparer.Ordinal));
    }

    /// <summary>A copy of k8s/ with region-c added, rendered once for the class.</summary>
    public sealed class ThreeRegions : IDisposable
    {
        private readonly string _folder = Directory.CreateTempSubdirectory("payments-k8s-three-regions-").FullName;

        public ThreeRegions()
        {
            var k8s = Path.Combine(_folder, "k8s");
            Copy(RepositoryRoot.Combine("k8s"), k8s);
            AddRegion(k8s);
            Manifests = RenderedManifests.Of(k8s);
        }

        public RenderedManifests Manifests { get; }

        public void Dispose() => Directory.Delete(_folder, recursive: true);

        /// <summary>The edits docs/operations.md lists for a new region, made from region-b's lines.</summary>
        private static void AddRegion(string k8s)
        {
            var regions = Path.Combine(k8s, "regions");
            foreach (var file in new[] { "rules.env", "cluster-clients-secret.yaml" })
            {
                var path = Path.Combine(regions, file);
                var lines = File.ReadAllLines(path);
                var added = lines.Where(line => line.Contains($"__{Template}__", StringComparison.Ordinal)).Select(Renamed).ToList();
                Assert.NotEmpty(added);
                File.WriteAllLines(path, [.. lines, .. added]);
            }

            var template = Path.Combine(k8s, "overlays", Template);
            var overlay = Path.Combine(k8s, "overlays", NewRegion);
            Directory.CreateDirectory(overlay);
            foreach (var file in Directory.GetFiles(template))
            {
                File.WriteAllText(Path.Combine(overlay, Path.GetFileName(file)), Renamed(File.ReadAllText(file)));
            }
        }

        private static string Renamed(string text) => text.Replace(Template, NewRegion, StringComparison.Ordinal);

        private static void Copy(string from, string to)
        {
            Directory.CreateDirectory(to);
            foreach (var file in Directory.GetFiles(from))
            {
                File.Copy(file, Path.Combine(to, Path.GetFileName(file)));
            }

            foreach (var folder in Directory.GetDirectories(from))
            {
                Copy(folder, Path.Combine(to, Path.GetFileName(folder)));
            }
        }
    }
}
