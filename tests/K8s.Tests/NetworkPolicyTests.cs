using Payments.K8s.Tests.Infrastructure;

namespace Payments.K8s.Tests;

/// <summary>Default deny, then only the flows the design needs, checked by evaluating the rendered policies.</summary>
[Collection(ManifestsCollection.Name)]
public sealed class NetworkPolicyTests(RenderedManifests manifests)
{
    private const string RegionA = "payments-region-a";
    private const string RegionB = "payments-region-b";
    private const string Data = "payments-data";

    private const string RegionLabel = "payments/region";

    private static readonly string[] PlatformNamespaces = ["kube-system", "monitoring"];

    private readonly NetworkPolicies _policies = new(manifests);
    private readonly LedgerCluster _ledger = new(manifests);

    public static TheoryData<string, string> RegionPairs => new()
    {
        { RegionA, RegionA }, { RegionA, RegionB }, { RegionB, RegionA }, { RegionB, RegionB },
    };

    [Fact]
    public void Every_namespace_denies_traffic_by_default()
    {
        var namespaces = manifests.OfKind("Namespace").ToList();

        Assert.Equal(manifests.NamespaceOverlays.Count, namespaces.Count);
        Assert.All(namespaces, ns => Assert.Contains(manifests.OfKind("NetworkPolicy"), policy =>
            policy.Namespace == ns.Name
            && Json.StringMap(policy.Spec?["podSelector"]?["matchLabels"]).Count == 0
            && policy.Spec?["podSelector"]?["matchExpressions"] is null
            && policy.Spec?["ingress"] is null
            && policy.Spec?["egress"] is null
            && (policy.Spec?["policyTypes"]?.AsArray().Select(Json.Text).ToHashSet() ?? []).SetEquals(["Ingress", "Egress"])));
    }

    [Fact]
    public void Cross_namespace_peers_are_selected_by_namespace_name_or_as_regions()
    {
        var known = manifests.OfKind("Namespace").Select(ns => ns.Name).Concat(PlatformNamespaces).ToHashSet();
        var selectors = manifests.OfKind("NetworkPolicy")
            .SelectMany(policy => Json.Objects(policy.Spec?["ingress"]).SelectMany(rule => Json.Objects(rule["from"]))
                .Concat(Json.Objects(policy.Spec?["egress"]).SelectMany(rule => Json.Objects(rule["to"])))
                .Where(peer => peer["namespaceSelector"] is not null)
                .Select(peer => (policy, selector: peer["namespaceSelector"])))
            .ToList();

        Assert.NotEmpty(selectors);
        Assert.Contains(selectors, entry => IsRegionSelector(entry.selector));
        Assert.All(selectors, entry =>
        {
            if (IsRegionSelector(entry.selector))
            {
                return;
            }

            var labels = Json.StringMap(entry.selector?["matchLabels"]);
            Assert.True(labels.Count == 1 && labels.ContainsKey("kubernetes.io/metadata.name") && entry.selector?["matchExpressions"] is null,
                $"{entry.policy}: namespaceSelector {entry.selector?.ToJsonString()} is neither by kubernetes.io/metadata.name nor the region label");
            Assert.Contains(labels["kubernetes.io/metadata.name"], known);
        });
    }

    [Fact]
    public void Only_region_namespaces_carry_the_region_label_and_each_its_own_region()
    {
        var labelled = manifests.OfKind("Namespace")
            .Where(ns => _policies.NamespaceLabels(ns.Name).ContainsKey(RegionLabel))
            .ToDictionary(ns => ns.Name, ns => _policies.NamespaceLabels(ns.Name)[RegionLabel]);

        Assert.Equal(
            RenderedManifests.RegionOverlays.ToDictionary(RenderedManifests.RegionNamespace, region => region),
            labelled);
    }

    [Theory]
    [MemberData(nameof(RegionPairs))]
    public void Each_api_reaches_the_gateways_and_redis_of_every_region(string apiNamespace, string clusterNamespace)
    {
        var api = _policies.PodOf(apiNamespace, "api");

        Assert.True(_policies.Allows(api, _policies.PodOf(clusterNamespace, "silo"), 30000));
        Assert.True(_policies.Allows(api, _policies.PodOf(clusterNamespace, "redis-sentinel"), 26379));
        Assert.True(_policies.Allows(api, _policies.PodOf(clusterNamespace, "redis"), 6379));
        Assert.False(_policies.Allows(api, _policies.PodOf(clusterNamespace, "silo"), 11111));
    }

    [Theory]
    [MemberData(nameof(RegionPairs))]
    public void Silos_talk_to_the_silos_and_redis_of_their_own_region_only(string fromNamespace, string toNamespace)
    {
        var silo = _policies.PodOf(fromNamespace, "silo");
        var sameRegion = fromNamespace == toNamespace;

        Assert.Equal(sameRegion, _policies.Allows(silo, _policies.PodOf(toNamespace, "silo"), 11111));
        Assert.Equal(sameRegion, _policies.Allows(silo, _policies.PodOf(toNamespace, "redis"), 6379));
        Assert.Equal(sameRegion, _policies.Allows(silo, _policies.PodOf(toNamespace, "redis-sentinel"), 26379));
        Assert.False(_policies.Allows(silo, _policies.PodOf(toNamespace, "silo"), 30000));
    }

    [Theory]
    [InlineData(RegionA, "master")]
    [InlineData(RegionA, "replica")]
    [InlineData(RegionB, "master")]
    [InlineData(RegionB, "replica")]
    public void Silos_and_apis_reach_every_ledger_member_across_namespaces(string regionNamespace, string role)
    {
        // Any member may be the primary after a failover.
        var member = _ledger.Member(role);

        Assert.True(_policies.Allows(_policies.PodOf(regionNamespace, "silo"), member, 5432));
        Assert.True(_policies.Allows(_policies.PodOf(regionNamespace, "api"), member, 5432));
        Assert.False(_policies.Allows(_policies.PodOf(regionNamespace, "silo"), member, 8008));
        Assert.False(_policies.Allows(_policies.PodOf(regionNamespace, "redis"), member, 5432));
    }

    [Fact]
    public void Ledger_members_replicate_and_the_operator_manages_them_and_nothing_else_gets_in()
    {
        var primary = _ledger.Member("master");
        var standby = _ledger.Member("replica");
        var operatorPod = _policies.PodOf(Data, "postgres-operator");
        var stranger = new Pod("elsewhere", new Dictionary<string, string> { ["app.kubernetes.io/name"] = "silo" });

        Assert.True(_policies.Allows(standby, primary, 5432));
        Assert.True(_policies.Allows(standby, primary, 8008));
        Assert.True(_policies.Allows(operatorPod, primary, 5432));
        Assert.True(_policies.Allows(operatorPod, standby, 8008));
        Assert.False(_policies.Allows(stranger, primary, 5432));
        Assert.False(_policies.Allows(primary, _policies.PodOf(RegionA, "silo"), 11111));
        Assert.False(_policies.Allows(primary, _policies.PodOf(RegionA, "redis"), 6379));
    }

    [Theory]
    [InlineData(RegionA)]
    [InlineData(RegionB)]
    public void Clients_reach_the_api_and_monitoring_scrapes_the_silos(string regionNamespace)
    {
        var outsider = new Pod("ingress-nginx", new Dictionary<string, string> { ["app"] = "controller" });
        var monitoring = new Pod("monitoring", new Dictionary<string, string> { ["app"] = "prometheus" });
        var silo = _policies.PodOf(regionNamespace, "silo");

        Assert.True(_policies.Allows(outsider, _policies.PodOf(regionNamespace, "api"), 8080));
        Assert.True(_policies.Allows(monitoring, silo, 8080));
        Assert.False(_policies.Allows(outsider, silo, 8080));
        Assert.False(_policies.Allows(outsider, silo, 30000));
        Assert.False(_policies.Allows(outsider, _policies.PodOf(regionNamespace, "redis"), 6379));
    }

    [Theory]
    [InlineData(RegionA)]
    [InlineData(RegionB)]
    public void Redis_servers_and_sentinels_reach_each_other_and_every_region_pod_resolves_names(string regionNamespace)
    {
        var redis = _policies.PodOf(regionNamespace, "redis");
        var sentinel = _policies.PodOf(regionNamespace, "redis-sentinel");
        var dns = new Pod("kube-system", new Dictionary<string, string> { ["k8s-app"] = "kube-dns" });

        Assert.True(_policies.Allows(redis, redis, 6379));
        Assert.True(_policies.Allows(sentinel, redis, 6379));
        Assert.True(_policies.Allows(sentinel, sentinel, 26379));
        Assert.True(_policies.Allows(redis, sentinel, 26379));
        Assert.False(_policies.Allows(sentinel, _policies.PodOf(regionNamespace, "silo"), 30000));
        Assert.All(new[] { "silo", "api", "redis", "redis-sentinel" }, app => Assert.True(_policies.Allows(_policies.PodOf(regionNamespace, app), dns, 53)));
    }

    /// <summary>Every namespace the region overlays label as a region: <c>payments/region</c> exists.</summary>
    private static bool IsRegionSelector(System.Text.Json.Nodes.JsonNode? selector) =>
        Json.StringMap(selector?["matchLabels"]).Count == 0
        && Json.Objects(selector?["matchExpressions"]).ToList() is [var only]
        && Json.Text(only["key"]) == RegionLabel
        && Json.Text(only["operator"]) == "Exists";
}
