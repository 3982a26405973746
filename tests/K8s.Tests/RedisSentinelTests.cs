using System.Text.RegularExpressions;
using Payments.K8s.Tests.Infrastructure;

namespace Payments.K8s.Tests;

/// <summary>
/// Each region's Redis: a primary and a replica watched by three sentinels, and every client reaching it through the
/// sentinels (StackExchange.Redis' <c>serviceName=</c>), so a lost primary is replaced without a person.
/// </summary>
[Collection(ManifestsCollection.Name)]
public sealed partial class RedisSentinelTests(RenderedManifests manifests)
{
    public static TheoryData<string> Regions => [.. RenderedManifests.RegionOverlays];

    [Theory]
    [MemberData(nameof(Regions))]
    public void Three_sentinels_watch_a_primary_and_a_replica_with_a_majority_quorum(string region)
    {
        var @namespace = RenderedManifests.RegionNamespace(region);
        var redis = manifests.Get("StatefulSet", @namespace, "redis");
        var sentinels = manifests.Get("StatefulSet", @namespace, "redis-sentinel");
        var monitor = Monitor(sentinels);
        var replicas = Json.Number(sentinels.Spec?["replicas"]) ?? 1;

        Assert.True((Json.Number(redis.Spec?["replicas"]) ?? 1) >= 2, $"{redis} has no replica");
        Assert.NotEmpty(Json.Objects(redis.Spec?["volumeClaimTemplates"]));
        Assert.Equal(3, replicas);
        Assert.True(monitor.Quorum > replicas / 2 && monitor.Quorum <= replicas,
            $"{sentinels}: quorum {monitor.Quorum} of {replicas} sentinels is no majority");
        // The first primary is redis-0 by its stable name in the governing headless Service.
        var governing = manifests.Get("Service", @namespace, Json.Text(redis.Spec?["serviceName"]) ?? "");
        Assert.Equal("None", Json.Text(governing.Spec?["clusterIP"]));
        Assert.Contains($"redis-0.{governing.Name}.", monitor.FirstPrimary, StringComparison.Ordinal);
        Assert.Contains("sentinel announce-hostnames yes", Script(sentinels), StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Regions))]
    public void A_restarted_server_asks_the_sentinels_who_is_primary_before_following_anyone(string region)
    {
        var @namespace = RenderedManifests.RegionNamespace(region);
        var script = Script(manifests.Get("StatefulSet", @namespace, "redis"));
        var monitored = Monitor(manifests.Get("StatefulSet", @namespace, "redis-sentinel")).Name;

        var ask = script.IndexOf($"sentinel get-master-addr-by-name {monitored}", StringComparison.Ordinal);
        var follow = script.IndexOf("replicaof", StringComparison.Ordinal);
        Assert.True(ask >= 0 && follow > ask, "the server must ask the sentinels for the primary before choosing whom to replicate");
        Assert.Contains("-h redis-sentinel ", script, StringComparison.Ordinal);
        manifests.Get("Service", @namespace, "redis-sentinel");
        // Nothing points a Service at one fixed server: after a failover it would send clients to a replica.
        Assert.DoesNotContain(manifests.OfKind("Service"), service => service.Namespace == @namespace
            && Json.Text(service.Spec?["selector"]?["statefulset.kubernetes.io/pod-name"]) is not null);
    }

    [Fact]
    public void Silos_and_apis_reach_every_region_s_redis_through_all_its_sentinels()
    {
        var connections = new List<(Resource Client, string Region, string Connection)>();
        foreach (var region in RenderedManifests.RegionOverlays)
        {
            var @namespace = RenderedManifests.RegionNamespace(region);
            var silo = manifests.Get("Deployment", @namespace, "silo");
            connections.Add((silo, region, manifests.Environment(silo, Assert.Single(silo.Containers)).GetValueOrDefault("ConnectionStrings__Redis") ?? ""));
            var api = manifests.Get("Deployment", @namespace, "api");
            var apiEnvironment = manifests.Environment(api, Assert.Single(api.Containers));
            connections.AddRange(RenderedManifests.RegionOverlays.Select(target =>
                (api, target, apiEnvironment.GetValueOrDefault($"Payments__Clusters__{target}__Redis") ?? "")));
        }

        Assert.All(connections, entry =>
        {
            var targetNamespace = RenderedManifests.RegionNamespace(entry.Region);
            var sentinels = manifests.Get("StatefulSet", targetNamespace, "redis-sentinel");
            var governing = Json.Text(sentinels.Spec?["serviceName"]) ?? "";
            var options = entry.Connection.Split(',', StringSplitOptions.TrimEntries);
            var endpoints = options.Where(option => !option.Contains('=', StringComparison.Ordinal)).ToList();
            var expected = Enumerable.Range(0, (int)(Json.Number(sentinels.Spec?["replicas"]) ?? 1))
                .Select(ordinal => $"redis-sentinel-{ordinal}.{governing}")
                .ToList();

            Assert.Contains($"serviceName={Monitor(sentinels).Name}", options);
            Assert.Contains("abortConnect=false", options);
            Assert.Equal(expected.Count, endpoints.Count);
            Assert.All(endpoints.Zip(expected), pair =>
            {
                var (host, port) = (pair.First.Split(':')[0], pair.First.Split(':')[1]);
                Assert.Equal("26379", port);
                // A silo names its own region's sentinels by their short names; an API names each region's in full.
                var ownSilo = entry.Client.Name == "silo" && entry.Client.Namespace == targetNamespace;
                Assert.Equal(ownSilo ? pair.Second : $"{pair.Second}.{targetNamespace}.svc.cluster.local", host);
            });
        });
    }

    private static string Script(Resource statefulSet) =>
        string.Join('\n', Assert.Single(statefulSet.Containers)["args"]?.AsArray().Select(Json.Text) ?? []);

    private static (string Name, string FirstPrimary, int Quorum) Monitor(Resource sentinels)
    {
        var match = SentinelMonitor().Match(Script(sentinels));
        Assert.True(match.Success, $"{sentinels} configures no `sentinel monitor`");
        var firstPrimary = Regex.Match(Script(sentinels), @"primary=""(?<host>redis-0\.[^""]+)""").Groups["host"].Value;
        return (match.Groups["name"].Value, firstPrimary, int.Parse(match.Groups["quorum"].Value, System.Globalization.CultureInfo.InvariantCulture));
    }

    [GeneratedRegex(@"sentinel monitor (?<name>\S+) \S+ 6379 (?<quorum>\d+)")]
    private static partial Regex SentinelMonitor();
}
