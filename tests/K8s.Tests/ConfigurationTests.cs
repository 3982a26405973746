using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Payments.K8s.Tests.Infrastructure;

namespace Payments.K8s.Tests;

/// <summary>Non-secret settings in ConfigMaps, secrets in Secrets, and every reference resolves.</summary>
[Collection(ManifestsCollection.Name)]
public sealed partial class ConfigurationTests(RenderedManifests manifests)
{
    [Fact]
    public void No_config_map_holds_a_secret_looking_key()
    {
        var configMaps = manifests.OfKind("ConfigMap").ToList();
        var leaks = configMaps
            .SelectMany(map => map.Data.Where(pair => SecretLookingKey().IsMatch(pair.Key) || SecretLookingValue().IsMatch(pair.Value))
                .Select(pair => $"{map}: {pair.Key}"))
            .ToList();

        Assert.NotEmpty(configMaps);
        Assert.Empty(leaks);
    }

    [Fact]
    public void Every_referenced_config_map_and_secret_exists()
    {
        var problems = new List<string>();
        foreach (var workload in manifests.Workloads)
        {
            foreach (var container in workload.Containers.Concat(workload.InitContainers))
            {
                foreach (var source in Json.Objects(container["envFrom"]))
                {
                    Check(workload, "ConfigMap", source["configMapRef"], key: null, problems);
                    Check(workload, "Secret", source["secretRef"], key: null, problems);
                }

                foreach (var variable in Json.Objects(container["env"]))
                {
                    var configMapKey = variable["valueFrom"]?["configMapKeyRef"];
                    var secretKey = variable["valueFrom"]?["secretKeyRef"];
                    Check(workload, "ConfigMap", configMapKey, Json.Text(configMapKey?["key"]), problems);
                    Check(workload, "Secret", secretKey, Json.Text(secretKey?["key"]), problems);
                }
            }

            foreach (var volume in Json.Objects(workload.PodSpec?["volumes"]))
            {
                Check(workload, "ConfigMap", volume["configMap"], key: null, problems);
                Check(workload, "Secret", volume["secret"] is JsonObject secret
                    ? new JsonObject { ["name"] = secret["secretName"]?.DeepClone() }
                    : null, key: null, problems);
                foreach (var projected in Json.Objects(volume["projected"]?["sources"]))
                {
                    Check(workload, "ConfigMap", projected["configMap"], key: null, problems);
                    Check(workload, "Secret", projected["secret"], key: null, problems);
                }
            }

            foreach (var pullSecret in Json.Objects(workload.PodSpec?["imagePullSecrets"]))
            {
                Check(workload, "Secret", pullSecret, key: null, problems);
            }
        }

        Assert.Empty(problems);
    }

    [Fact]
    public void Every_service_named_in_a_cluster_dns_address_exists()
    {
        var addresses = new List<(string Where, string Service, string Namespace)>();
        foreach (var workload in manifests.Workloads)
        {
            foreach (var container in workload.Containers)
            {
                foreach (var (name, value) in manifests.Environment(workload, container))
                {
                    addresses.AddRange(ServiceAddress().Matches(value).Select(match =>
                        ($"{workload} env {name}", match.Groups["service"].Value, match.Groups["namespace"].Value)));
                }
            }
        }

        foreach (var source in manifests.Resources.Where(r => r.Kind is "ConfigMap" or "Secret"))
        {
            foreach (var (key, value) in source.Data)
            {
                addresses.AddRange(ServiceAddress().Matches(value).Select(match =>
                    ($"{source} {key}", match.Groups["service"].Value, match.Groups["namespace"].Value)));
            }
        }

        // The ledger cluster's Services are the operator's: they exist once it runs the postgresql resource.
        var ledger = new LedgerCluster(manifests);
        bool Exists(string service, string @namespace) => manifests.Find("Service", @namespace, service) is not null
            || (@namespace == LedgerCluster.Namespace && ledger.Services.Contains(service));

        Assert.Contains(addresses, address => address.Namespace != "" && address.Service == "redis-sentinel-headless");
        Assert.Contains(addresses, address => address.Service == ledger.PrimaryService && address.Namespace == LedgerCluster.Namespace);
        Assert.All(addresses, address => Assert.True(
            Exists(address.Service, address.Namespace),
            $"{address.Where} names {address.Service}.{address.Namespace}.svc, which no overlay renders"));
    }

    [Fact]
    public void Every_workload_reference_to_a_service_or_deployment_exists()
    {
        Assert.All(manifests.OfKind("StatefulSet"), set =>
            manifests.Get("Service", set.Namespace, Json.Text(set.Spec?["serviceName"]) ?? ""));
        Assert.All(manifests.OfKind("HorizontalPodAutoscaler"), hpa => manifests.Get(
            Json.Text(hpa.Spec?["scaleTargetRef"]?["kind"]) ?? "", hpa.Namespace, Json.Text(hpa.Spec?["scaleTargetRef"]?["name"]) ?? ""));
        Assert.All(manifests.OfKind("Service"), service => Assert.True(
            manifests.Workloads.Where(w => w.Namespace == service.Namespace).SelectMany(RenderedManifests.PodLabelSets).Any(labels =>
                NetworkPolicies.Matches(new JsonObject { ["matchLabels"] = service.Spec?["selector"]?.DeepClone() }, labels)),
            $"{service} selects no workload's pods"));
    }

    [Theory]
    [InlineData("api", new[] { "admin", "terminal" })]
    // The silos serve the dashboard and /metrics, both for admins; no terminal calls them.
    [InlineData("silo", new[] { "admin" })]
    public void Api_keys_come_from_the_secret_one_per_role(string deployment, string[] expectedRoles)
    {
        foreach (var region in RenderedManifests.RegionOverlays)
        {
            var api = manifests.Get("Deployment", RenderedManifests.RegionNamespace(region), deployment);
            var container = Assert.Single(api.Containers);
            var variables = Json.Objects(container["env"]).ToDictionary(v => Json.Text(v["name"]) ?? "", StringComparer.Ordinal);
            var environment = manifests.Environment(api, container);
            var indexes = variables.Keys
                .Select(name => ApiKeyVariable().Match(name))
                .Where(match => match.Success)
                .Select(match => match.Groups["index"].Value)
                .Distinct()
                .ToList();

            var roles = indexes.Select(i => environment.GetValueOrDefault($"Payments__ApiKeys__{i}__Role")).Order().ToList();
            Assert.Equal(expectedRoles, roles);
            Assert.All(indexes, i =>
            {
                Assert.False(string.IsNullOrEmpty(environment.GetValueOrDefault($"Payments__ApiKeys__{i}__Name")));
                var key = variables.GetValueOrDefault($"Payments__ApiKeys__{i}__Key");
                Assert.True(key?["valueFrom"]?["secretKeyRef"] is not null, $"{api}: API key {i} is not taken from a Secret");
            });
        }
    }

    [Fact]
    public void The_webhook_secret_key_of_every_silo_comes_from_the_secret_and_the_apis_carry_none()
    {
        const string Variable = "Payments__Webhooks__SecretKey";
        foreach (var region in RenderedManifests.RegionOverlays)
        {
            var silo = manifests.Get("Deployment", RenderedManifests.RegionNamespace(region), "silo");
            var key = Json.Objects(Assert.Single(silo.Containers)["env"]).SingleOrDefault(v => Json.Text(v["name"]) == Variable);
            var api = manifests.Get("Deployment", RenderedManifests.RegionNamespace(region), "api");

            Assert.True(key is not null, $"{silo}: no {Variable}, so no webhook endpoint can be registered");
            Assert.Null(key["value"]);
            var reference = key["valueFrom"]?["secretKeyRef"];
            Assert.True(reference is not null, $"{silo}: {Variable} is not taken from a Secret");
            var secret = manifests.Get("Secret", silo.Namespace, Json.Text(reference["name"]) ?? "");
            Assert.True(secret.Data.ContainsKey(Json.Text(reference["key"]) ?? ""), $"{secret} has no key {reference["key"]}");
            Assert.DoesNotContain(Variable, manifests.Environment(api, Assert.Single(api.Containers)).Keys);
        }
    }

    [Fact]
    public void Every_region_knows_the_rules_of_every_region()
    {
        foreach (var region in RenderedManifests.RegionOverlays)
        {
            var silo = manifests.Get("Deployment", RenderedManifests.RegionNamespace(region), "silo");
            var environment = manifests.Environment(silo, Assert.Single(silo.Containers));
            foreach (var rulesOf in RenderedManifests.RegionOverlays)
            {
                var prefix = $"Payments__Regions__{rulesOf}__";
                var timeZone = environment.GetValueOrDefault(prefix + "TimeZone");
                var resetHour = environment.GetValueOrDefault(prefix + "ResetHour");
                var currency = environment.GetValueOrDefault(prefix + "Currency");

                Assert.True(timeZone is not null && TimeZoneInfo.TryFindSystemTimeZoneById(timeZone, out _),
                    $"{silo}: {prefix}TimeZone '{timeZone}' is no IANA time zone");
                Assert.True(int.TryParse(resetHour, out var hour) && hour is >= 0 and <= 23, $"{silo}: {prefix}ResetHour '{resetHour}'");
                Assert.Matches("^[A-Z]{3}$", currency ?? "");
            }
        }
    }

    private void Check(Resource workload, string kind, JsonNode? reference, string? key, List<string> problems)
    {
        if (reference is null || Json.Boolean(reference["optional"]) == true)
        {
            return;
        }

        var name = Json.Text(reference["name"]) ?? "";
        var found = manifests.Find(kind, workload.Namespace, name);
        if (found is null)
        {
            problems.Add($"{workload} refers to {kind} {workload.Namespace}/{name}, which no overlay renders");
        }
        else if (key is not null && !found.Data.ContainsKey(key))
        {
            problems.Add($"{workload} refers to key {key} of {found}, which it does not have");
        }
    }

    [GeneratedRegex(@"^Payments__ApiKeys__(?<index>\d+)__")]
    private static partial Regex ApiKeyVariable();

    [GeneratedRegex("password|passwd|pwd|secret|token|credential|connection_?string|api_?key|api-key", RegexOptions.IgnoreCase)]
    private static partial Regex SecretLookingKey();

    [GeneratedRegex(@"(password|pwd)\s*=", RegexOptions.IgnoreCase)]
    private static partial Regex SecretLookingValue();

    [GeneratedRegex(@"(?<service>[a-z0-9]([-a-z0-9]*[a-z0-9])?)\.(?<namespace>[a-z0-9]([-a-z0-9]*[a-z0-9])?)\.svc(\.cluster\.local)?\b")]
    private static partial Regex ServiceAddress();
}
