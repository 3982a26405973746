using Payments.K8s.Tests.Infrastructure;

namespace Payments.K8s.Tests;

/// <summary>A region is an Orleans cluster: ClusterId = region id, one ServiceId shared by every region.</summary>
[Collection(ManifestsCollection.Name)]
public sealed class ClusterIdentityTests(RenderedManifests manifests)
{
    private const string ServiceIdKey = "Payments__ServiceId";
    private const string RegionKey = "Payments__Region";

    [Fact]
    public void One_service_id_everywhere()
    {
        var serviceIds = new List<(string Where, string? ServiceId)>();
        foreach (var region in RenderedManifests.RegionOverlays)
        {
            foreach (var app in new[] { "silo", "api" })
            {
                var deployment = manifests.Get("Deployment", RenderedManifests.RegionNamespace(region), app);
                var container = Assert.Single(deployment.Containers);
                serviceIds.Add((deployment.ToString(), manifests.Environment(deployment, container).GetValueOrDefault(ServiceIdKey)));
            }
        }

        foreach (var silo in Silos())
        {
            serviceIds.Add(($"{silo} label orleans/serviceId", silo.PodLabels.GetValueOrDefault("orleans/serviceId")));
        }

        Assert.All(serviceIds, entry => Assert.False(string.IsNullOrEmpty(entry.ServiceId), $"{entry.Where} has no ServiceId"));
        Assert.Single(serviceIds.Select(entry => entry.ServiceId).Distinct());
    }

    [Fact]
    public void Each_region_has_its_own_cluster_id()
    {
        var clusterIds = new Dictionary<string, string>();
        foreach (var region in RenderedManifests.RegionOverlays)
        {
            var @namespace = RenderedManifests.RegionNamespace(region);
            foreach (var app in new[] { "silo", "api" })
            {
                var deployment = manifests.Get("Deployment", @namespace, app);
                var environment = manifests.Environment(deployment, Assert.Single(deployment.Containers));
                Assert.Equal(region, environment.GetValueOrDefault(RegionKey));
            }

            clusterIds[@namespace] = region;
        }

        Assert.Equal(clusterIds.Count, clusterIds.Values.Distinct().Count());
    }

    [Fact]
    public void Silo_pods_carry_the_orleans_labels()
    {
        var silos = Silos().ToList();
        Assert.Equal(RenderedManifests.RegionOverlays.Count, silos.Count);
        foreach (var silo in silos)
        {
            var environment = manifests.Environment(silo, Assert.Single(silo.Containers));
            Assert.Equal(environment.GetValueOrDefault(RegionKey), silo.PodLabels.GetValueOrDefault("orleans/clusterId"));
            Assert.Equal(environment.GetValueOrDefault(ServiceIdKey), silo.PodLabels.GetValueOrDefault("orleans/serviceId"));
        }
    }

    [Fact]
    public void Silos_advertise_their_pod_ip_and_the_orleans_ports()
    {
        foreach (var silo in Silos())
        {
            var container = Assert.Single(silo.Containers);
            var environment = manifests.Environment(silo, container);
            var ports = Json.Objects(container["ports"]).Select(port => Json.Number(port["containerPort"])).ToList();

            Assert.Equal("fieldRef:status.podIP", environment.GetValueOrDefault("Orleans__AdvertisedIP"));
            Assert.Equal("11111", environment.GetValueOrDefault("Orleans__SiloPort"));
            Assert.Equal("30000", environment.GetValueOrDefault("Orleans__GatewayPort"));
            Assert.Equal("http://+:8080", environment.GetValueOrDefault("ASPNETCORE_URLS"));
            Assert.Contains(11111L, ports);
            Assert.Contains(30000L, ports);
            Assert.Contains(8080L, ports);
        }
    }

    private IEnumerable<Resource> Silos() =>
        manifests.OfKind("Deployment").Where(d => d.Name == "silo");
}
