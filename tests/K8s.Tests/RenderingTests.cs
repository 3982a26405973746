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
        Assert.Contains(rendered, r => r.Kind == "Service" && r.Name == "redis");
    }

    [Fact]
    public void Data_overlay_renders_the_shared_postgres()
    {
        Assert.Contains(RenderedManifests.DataOverlay, manifests.Overlays);
        var rendered = manifests.Resources.Where(r => r.Overlay == RenderedManifests.DataOverlay).ToList();

        Assert.Contains(rendered, r => r.Kind == "Namespace" && r.Name == "payments-data");
        Assert.All(rendered, r => Assert.Equal("payments-data", r.Namespace));
        Assert.Contains(rendered, r => r.Kind == "StatefulSet" && r.Name == "postgres");
        Assert.Contains(rendered, r => r.Kind == "Service" && r.Name == "postgres");
        Assert.Contains(rendered, r => r.Kind == "Secret" && r.Name == "postgres-credentials");
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
