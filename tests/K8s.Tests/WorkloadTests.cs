using System.Text.Json.Nodes;
using Payments.K8s.Tests.Infrastructure;

namespace Payments.K8s.Tests;

/// <summary>Probes, resources and the security context of every pod that any overlay runs.</summary>
[Collection(ManifestsCollection.Name)]
public sealed class WorkloadTests(RenderedManifests manifests)
{
    [Fact]
    public void Every_container_has_readiness_and_liveness_probes()
    {
        var missing = AllContainers(includeInit: false)
            .SelectMany(c => new[] { "readinessProbe", "livenessProbe" }
                .Where(probe => c.Container[probe] is not JsonObject)
                .Select(probe => $"{c.Workload} container {c.Name}: no {probe}"))
            .ToList();

        Assert.NotEmpty(AllContainers(includeInit: false));
        Assert.Empty(missing);
    }

    [Fact]
    public void Silos_and_apis_serve_and_probe_the_health_endpoints_on_port_8080()
    {
        foreach (var workload in manifests.OfKind("Deployment").Where(d => d.Name is "silo" or "api"))
        {
            var container = Assert.Single(workload.Containers);
            var httpPort = Json.Objects(container["ports"]).Single(port => Json.Text(port["name"]) == "http");
            Assert.Equal(8080L, Json.Number(httpPort["containerPort"]));
            Assert.Equal("/health/ready", Json.Text(container["readinessProbe"]?["httpGet"]?["path"]));
            Assert.Equal("/health/live", Json.Text(container["livenessProbe"]?["httpGet"]?["path"]));
            Assert.Equal("http", Json.Text(container["readinessProbe"]?["httpGet"]?["port"]));
            Assert.Equal("http", Json.Text(container["livenessProbe"]?["httpGet"]?["port"]));
            // Urls (unprefixed) is what wins over an appsettings.json "Urls"; ASPNETCORE_URLS is asked for by ops.
            var environment = manifests.Environment(workload, container);
            Assert.Equal("http://+:8080", environment.GetValueOrDefault("Urls"));
            Assert.Equal("http://+:8080", environment.GetValueOrDefault("ASPNETCORE_URLS"));
        }
    }

    [Fact]
    public void Every_container_has_resource_requests_and_limits()
    {
        var problems = new List<string>();
        foreach (var (workload, name, container) in AllContainers(includeInit: true))
        {
            foreach (var resource in new[] { "cpu", "memory" })
            {
                var request = Json.Text(container["resources"]?["requests"]?[resource]);
                var limit = Json.Text(container["resources"]?["limits"]?[resource]);
                if (request is null || limit is null)
                {
                    problems.Add($"{workload} container {name}: {resource} request {request ?? "missing"}, limit {limit ?? "missing"}");
                }
                else if (Quantity.Parse(request) > Quantity.Parse(limit))
                {
                    problems.Add($"{workload} container {name}: {resource} request {request} above limit {limit}");
                }
            }
        }

        Assert.Empty(problems);
    }

    [Fact]
    public void Every_pod_runs_as_non_root_without_privileges()
    {
        var problems = new List<string>();
        foreach (var workload in manifests.Workloads)
        {
            var pod = workload.PodSpec?["securityContext"];
            foreach (var flag in new[] { "hostNetwork", "hostPID", "hostIPC" })
            {
                if (Json.Boolean(workload.PodSpec?[flag]) == true)
                {
                    problems.Add($"{workload}: {flag}");
                }
            }

            if (Json.Objects(workload.PodSpec?["volumes"]).Any(volume => volume["hostPath"] is not null))
            {
                problems.Add($"{workload}: hostPath volume");
            }

            foreach (var container in workload.Containers.Concat(workload.InitContainers))
            {
                var where = $"{workload} container {Json.Text(container["name"])}";
                var own = container["securityContext"];
                if ((Json.Boolean(own?["runAsNonRoot"]) ?? Json.Boolean(pod?["runAsNonRoot"])) != true)
                {
                    problems.Add($"{where}: runAsNonRoot is not true");
                }

                if ((Json.Number(own?["runAsUser"]) ?? Json.Number(pod?["runAsUser"])) == 0)
                {
                    problems.Add($"{where}: runAsUser 0");
                }

                if (Json.Boolean(own?["allowPrivilegeEscalation"]) != false)
                {
                    problems.Add($"{where}: allowPrivilegeEscalation is not false");
                }

                if (Json.Boolean(own?["privileged"]) == true)
                {
                    problems.Add($"{where}: privileged");
                }

                if (Json.Boolean(own?["readOnlyRootFilesystem"]) != true)
                {
                    problems.Add($"{where}: readOnlyRootFilesystem is not true");
                }

                var dropped = (own?["capabilities"]?["drop"] as JsonArray)?.Select(Json.Text) ?? [];
                if (!dropped.Contains("ALL"))
                {
                    problems.Add($"{where}: capabilities ALL not dropped");
                }

                if ((Json.Text(own?["seccompProfile"]?["type"]) ?? Json.Text(pod?["seccompProfile"]?["type"])) != "RuntimeDefault")
                {
                    problems.Add($"{where}: seccompProfile is not RuntimeDefault");
                }
            }
        }

        Assert.NotEmpty(manifests.Workloads);
        Assert.Empty(problems);
    }

    [Fact]
    public void Every_namespace_enforces_a_pod_security_standard_and_warns_below_restricted()
    {
        var namespaces = manifests.OfKind("Namespace").ToList();

        Assert.Equal(manifests.NamespaceOverlays.Count, namespaces.Count);
        Assert.All(namespaces, ns =>
        {
            var labels = Json.StringMap(ns.Body["metadata"]?["labels"]);
            // The store's pods are written by the postgres-operator, which cannot drop their capabilities or set their
            // seccomp profile: that namespace enforces "baseline" (no privileged pod, no host access) and warns.
            var expected = ns.Name == LedgerCluster.Namespace ? "baseline" : "restricted";
            Assert.Equal(expected, labels.GetValueOrDefault("pod-security.kubernetes.io/enforce"));
            Assert.Equal("restricted", labels.GetValueOrDefault("pod-security.kubernetes.io/warn"));
        });
    }

    [Fact]
    public void Silo_rollout_keeps_every_silo_until_its_replacement_is_ready()
    {
        var silos = manifests.OfKind("Deployment").Where(d => d.Name == "silo").ToList();

        Assert.Equal(RenderedManifests.RegionOverlays.Count, silos.Count);
        foreach (var silo in silos)
        {
            var strategy = silo.Spec?["strategy"];
            Assert.Equal("RollingUpdate", Json.Text(strategy?["type"]));
            var maxUnavailable = Json.Text(strategy?["rollingUpdate"]?["maxUnavailable"]);
            Assert.True(maxUnavailable is "0" or "0%", $"{silo}: maxUnavailable is {maxUnavailable ?? "the default 25%"}");
            Assert.NotEqual("0", Json.Text(strategy?["rollingUpdate"]?["maxSurge"]));
        }
    }

    [Fact]
    public void Silo_grace_period_covers_a_graceful_shutdown()
    {
        foreach (var silo in manifests.OfKind("Deployment").Where(d => d.Name == "silo"))
        {
            var grace = Json.Number(silo.PodSpec?["terminationGracePeriodSeconds"]) ?? 30;
            var hostTimeout = manifests.Environment(silo, Assert.Single(silo.Containers)).GetValueOrDefault("DOTNET_shutdownTimeoutSeconds");

            Assert.True(grace >= 60, $"{silo}: terminationGracePeriodSeconds {grace} is under 60");
            Assert.True(hostTimeout is null || long.Parse(hostTimeout, System.Globalization.CultureInfo.InvariantCulture) < grace,
                $"{silo}: the host's shutdown timeout {hostTimeout} s does not fit in the grace period {grace} s");
        }
    }

    [Fact]
    public void Every_image_is_pinned_to_a_tag()
    {
        var images = AllContainers(includeInit: true)
            .Select(c => (c.Workload, Image: Json.Text(c.Container["image"]) ?? ""))
            .ToList();

        Assert.All(images, entry =>
        {
            var lastSegment = entry.Image[(entry.Image.LastIndexOf('/') + 1)..];
            var pinned = entry.Image.Contains('@', StringComparison.Ordinal)
                || (lastSegment.Contains(':', StringComparison.Ordinal) && !lastSegment.EndsWith(":latest", StringComparison.Ordinal));
            Assert.True(pinned, $"{entry.Workload}: image '{entry.Image}' has no tag, or :latest");
        });
    }

    [Fact]
    public void Only_the_postgres_operator_gets_kubernetes_api_credentials()
    {
        var rbac = manifests.Resources
            .Where(r => r.Kind is "ServiceAccount" or "Role" or "RoleBinding" or "ClusterRole" or "ClusterRoleBinding")
            .ToList();
        var withToken = manifests.Workloads.Where(w => Json.Boolean(w.PodSpec?["automountServiceAccountToken"]) ?? true).ToList();

        // The regions cluster through Redis, not the Kubernetes API; the store's operator and its database pods
        // (Patroni's leader lock is in the API) are the only users of it.
        Assert.All(rbac, r => Assert.Equal(LedgerCluster.Namespace, r.Kind.StartsWith("Cluster", StringComparison.Ordinal)
            ? Json.Objects(r.Body["subjects"]).Select(s => Json.Text(s["namespace"])).FirstOrDefault() ?? LedgerCluster.Namespace
            : r.Namespace));
        var operatorDeployment = Assert.Single(withToken);
        Assert.Equal("postgres-operator", operatorDeployment.Name);
        Assert.Equal("postgres-operator", Json.Text(operatorDeployment.PodSpec?["serviceAccountName"]));
    }

    private List<(Resource Workload, string Name, JsonObject Container)> AllContainers(bool includeInit) =>
        [.. manifests.Workloads.SelectMany(w => (includeInit ? w.Containers.Concat(w.InitContainers) : w.Containers)
            .Select(c => (w, Json.Text(c["name"]) ?? "", c)))];
}
