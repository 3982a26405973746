using Payments.K8s.Tests.Infrastructure;

namespace Payments.K8s.Tests;

[Collection(ManifestsCollection.Name)]
public sealed class RenderingTests(RenderedManifests manifests)
{
    public static TheoryData<string> RegionOverlays => [.. RenderedManifests.RegionOverlays];

    [Theory]
    [MemberData(nameof(RegionOverlays))]
    public void Every_region_overlay_renders(string overlay)
    {
        Assert.Contains(overlay, manifests.Overlays);
        var rendered = manifests.Resources.Where(r => r.Overlay == overlay).ToList();
        var expectedNamespace = RenderedManifests.RegionNamespace(overlay);

        Assert.Contains(rendered, r => r.Kind == "Namespace" && r.Name == expectedNamespace);
        Assert.All(rendered, r => Assert.Equal(expectedNamespace, r.Namespace));
        Assert.Contains(rendered, r => r.Kind == "Deployment" && r.Name == "silo");
        Assert.Contains(rendered, r => r.Kind == "Deployment" && r.Name == "api");
        Assert.Contains(rendered, r => r.Kind == "Service" && r.Name == "api");
        Assert.Contains(rendered, r => r.Kind == "StatefulSet" && r.Name == "redis");
        Assert.Contains(rendered, r => r.Kind == "StatefulSet" && r.Name == "redis-sentinel");
        Assert.Contains(rendered, r => r.Kind == "Service" && r.Name == "redis-sentinel-headless");
    }

    [Fact]
    public void Data_overlay_renders_the_ledger_cluster_and_its_operator()
    {
        Assert.Contains(RenderedManifests.DataOverlay, manifests.Overlays);
        var rendered = manifests.Resources.Where(r => r.Overlay == RenderedManifests.DataOverlay).ToList();
        // Cluster-scoped: the definition of the postgresql kind, and the operator's read access to nodes.
        string[] clusterScoped = ["CustomResourceDefinition", "ClusterRole", "ClusterRoleBinding"];

        Assert.Contains(rendered, r => r.Kind == "Namespace" && r.Name == "payments-data");
        Assert.All(rendered.Where(r => !clusterScoped.Contains(r.Kind)), r => Assert.Equal("payments-data", r.Namespace));
        Assert.Contains(rendered, r => r.Kind == "postgresql" && r.Name == "payments-ledger");
        Assert.Contains(rendered, r => r.Kind == "CustomResourceDefinition" && r.Name == "postgresqls.acid.zalan.do");
        Assert.Contains(rendered, r => r.Kind == "Deployment" && r.Name == "postgres-operator");
        Assert.Contains(rendered, r => r.Kind == "ConfigMap" && r.Name == "postgres-operator");
        // The operator runs the database: no StatefulSet of ours.
        Assert.DoesNotContain(rendered, r => r.Kind == "StatefulSet");
    }

    [Fact]
    public void No_two_overlays_render_the_same_object()
    {
        var duplicates = manifests.Resources
            .GroupBy(r => (r.ApiVersion, r.Kind, r.Namespace, r.Name))
            .Where(group => group.Count() > 1)
            .Select(group => string.Join(", ", group))
            .ToList();

        Assert.Empty(duplicates);
    }
}
