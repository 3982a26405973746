using Payments.K8s.Tests.Infrastructure;

namespace Payments.K8s.Tests;

/// <summary>Each region's API has its own public entry, which a global load balancer or DNS failover points at.</summary>
[Collection(ManifestsCollection.Name)]
public sealed class ApiEntryTests(RenderedManifests manifests)
{
    public const string HostnameAnnotation = "external-dns.alpha.kubernetes.io/hostname";

    public static TheoryData<string> Regions => [.. RenderedManifests.RegionOverlays];

    [Theory]
    [MemberData(nameof(Regions))]
    public void Each_region_s_api_has_a_load_balancer_of_its_own(string region)
    {
        ApiEntry.Check(manifests, region);
    }

    [Fact]
    public void Every_region_s_entry_has_its_own_name()
    {
        var names = RenderedManifests.RegionOverlays.Select(region => ApiEntry.Hostname(manifests, region)).ToList();

        Assert.Equal(names.Count, names.Distinct().Count());
    }
}

/// <summary>The checks of a region's public API entry, shared with the three-region rendering.</summary>
public static class ApiEntry
{
    public static string Hostname(RenderedManifests manifests, string region) =>
        Json.StringMap(Service(manifests, region).Body["metadata"]?["annotations"]).GetValueOrDefault(ApiEntryTests.HostnameAnnotation) ?? "";

    public static void Check(RenderedManifests manifests, string region)
    {
        var @namespace = RenderedManifests.RegionNamespace(region);
        var entry = Service(manifests, region);
        var api = manifests.Get("Deployment", @namespace, "api");
        var container = Assert.Single(api.Containers);
        var port = Assert.Single(Json.Objects(entry.Spec?["ports"]));
        var containerPort = Json.Objects(container["ports"]).Single(p => Json.Text(p["name"]) == Json.Text(port["targetPort"]));
        var selected = manifests.Workloads
            .Where(w => w.Namespace == @namespace && NetworkPolicies.Matches(new System.Text.Json.Nodes.JsonObject { ["matchLabels"] = entry.Spec?["selector"]?.DeepClone() }, w.PodLabels))
            .ToList();
        var policies = new NetworkPolicies(manifests);
        var outsider = new Pod("internet", new Dictionary<string, string>());

        Assert.Equal("Local", Json.Text(entry.Spec?["externalTrafficPolicy"]));
        Assert.Equal("api", Assert.Single(selected).Name);
        Assert.Equal(8080, Json.Number(containerPort["containerPort"]));
        Assert.True(policies.Allows(outsider, policies.PodOf(@namespace, "api"), 8080), $"the NetworkPolicies of {@namespace} keep the load balancer's traffic out");
        Assert.StartsWith($"{region}.", Hostname(manifests, region), StringComparison.Ordinal);
        // The readiness the load balancer and the global health checks rely on.
        Assert.Equal("/health/ready", Json.Text(container["readinessProbe"]?["httpGet"]?["path"]));
    }

    private static Resource Service(RenderedManifests manifests, string region)
    {
        var services = manifests.OfKind("Service")
            .Where(s => s.Namespace == RenderedManifests.RegionNamespace(region) && Json.Text(s.Spec?["type"]) == "LoadBalancer")
            .ToList();
        return Assert.Single(services);
    }
}
