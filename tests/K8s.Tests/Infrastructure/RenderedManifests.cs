using System.Text.Json.Nodes;

namespace Payments.K8s.Tests.Infrastructure;

/// <summary>
/// Every overlay under k8s/overlays rendered once with <c>kubectl kustomize</c>, offline, and parsed.
/// Shared by the test classes of the <see cref="ManifestsCollection"/>.
/// </summary>
public sealed class RenderedManifests
{
    /// <summary>The namespaces that run a region: the region id is the part after "payments-".</summary>
    public static readonly IReadOnlyList<string> RegionOverlays = ["region-a", "region-b"];

    public const string DataOverlay = "data";

    /// <summary>Deploys into the platform's monitoring namespace, which it does not create.</summary>
    public const string MonitoringOverlay = "monitoring";

    private static readonly TimeSpan RenderTimeout = TimeSpan.FromMinutes(2);

    public RenderedManifests()
        : this(RepositoryRoot.Combine("k8s"))
    {
    }

    private RenderedManifests(string k8sFolder)
    {
        var overlaysFolder = Path.Combine(k8sFolder, "overlays");
        Overlays = Directory.GetDirectories(overlaysFolder)
            .Where(folder => File.Exists(Path.Combine(folder, "kustomization.yaml")))
            .Select(Path.GetFileName)
            .OfType<string>()
            .Order(StringComparer.Ordinal)
            .ToList();

        var yaml = new Dictionary<string, string>(StringComparer.Ordinal);
        var resources = new List<Resource>();
        foreach (var overlay in Overlays)
        {
            yaml[overlay] = Render(Path.Combine(overlaysFolder, overlay));
            resources.AddRange(YamlDocuments.Parse(yaml[overlay]).Select(body => new Resource(overlay, body)));
        }

        Yaml = yaml;
        Resources = resources;
    }

    /// <summary>Renders every overlay of <paramref name="k8sFolder"/>/overlays (a copy of the repository's k8s folder, say).</summary>
    public static RenderedManifests Of(string k8sFolder) => new(k8sFolder);

    /// <summary>The overlay folder names, e.g. "data", "region-a".</summary>
    public IReadOnlyList<string> Overlays { get; }

    /// <summary>The overlays that create the namespace they deploy into: all but <see cref="MonitoringOverlay"/>.</summary>
    public IReadOnlyList<string> NamespaceOverlays => [.. Overlays.Where(overlay => overlay != MonitoringOverlay)];

    /// <summary>The rendered YAML of each overlay.</summary>
    public IReadOnlyDictionary<string, string> Yaml { get; }

    /// <summary>Everything all overlays render, as one cluster would hold it.</summary>
    public IReadOnlyList<Resource> Resources { get; }

    public static string RegionNamespace(string region) => $"payments-{region}";

    public IEnumerable<Resource> OfKind(string kind) => Resources.Where(resource => resource.Kind == kind);

    public IEnumerable<Resource> Workloads => Resources.Where(resource => resource.PodTemplate is not null);

    /// <summary>
    /// The label sets of the pods a workload runs: its template's labels, plus for a StatefulSet the pod-name label
    /// the controller adds to each ordinal.
    /// </summary>
    public static IEnumerable<IReadOnlyDictionary<string, string>> PodLabelSets(Resource workload)
    {
        if (workload.Kind != "StatefulSet")
        {
            return [workload.PodLabels];
        }

        var replicas = Json.Number(workload.Spec?["replicas"]) ?? 1;
        return Enumerable.Range(0, (int)replicas).Select(ordinal =>
            (IReadOnlyDictionary<string, string>)new Dictionary<string, string>(workload.PodLabels, StringComparer.Ordinal)
            {
                ["statefulset.kubernetes.io/pod-name"] = $"{workload.Name}-{ordinal}",
            });
    }

    public Resource? Find(string kind, string @namespace, string name) =>
        Resources.SingleOrDefault(r => r.Kind == kind && r.Namespace == @namespace && r.Name == name);

    public Resource Get(string kind, string @namespace, string name) =>
        Find(kind, @namespace, name) ?? throw new Xunit.Sdk.XunitException($"No {kind} {@namespace}/{name} in the rendered overlays.");

    /// <summary>
    /// The environment a container sees: envFrom ConfigMaps and Secrets first, then env, which wins. A value taken
    /// from the downward API reads as <c>fieldRef:PATH</c>. A reference that does not resolve is left out (the
    /// reference tests report those).
    /// </summary>
    public IReadOnlyDictionary<string, string> Environment(Resource workload, JsonObject container)
    {
        var environment = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var source in Json.Objects(container["envFrom"]))
        {
            var prefix = Json.Text(source["prefix"]) ?? "";
            var (kind, name) = source["configMapRef"] is { } configMap
                ? ("ConfigMap", Json.Text(configMap["name"]))
                : ("Secret", Json.Text(source["secretRef"]?["name"]));
            if (name is not null && Find(kind, workload.Namespace, name) is { } found)
            {
                foreach (var (key, value) in found.Data)
                {
                    environment[prefix + key] = value;
                }
            }
        }

        foreach (var variable in Json.Objects(container["env"]))
        {
            var name = Json.Text(variable["name"]) ?? "";
            if (variable["value"] is { } value)
            {
                environment[name] = Json.Text(value) ?? "";
            }
            else if (Resolve(workload.Namespace, variable["valueFrom"]) is { } resolved)
            {
                environment[name] = resolved;
            }
        }

        return environment;
    }

    private string? Resolve(string @namespace, JsonNode? valueFrom)
    {
        if (valueFrom?["fieldRef"] is { } fieldRef)
        {
            return $"fieldRef:{Json.Text(fieldRef["fieldPath"])}";
        }

        var (kind, reference) = valueFrom?["configMapKeyRef"] is { } configMapKey
            ? ("ConfigMap", configMapKey)
            : ("Secret", valueFrom?["secretKeyRef"]);
        if (reference is null)
        {
            return null;
        }

        var source = Find(kind, @namespace, Json.Text(reference["name"]) ?? "");
        return source?.Data.GetValueOrDefault(Json.Text(reference["key"]) ?? "");
    }

    private static string Render(string overlayFolder)
    {
        var result = ProcessRunner.TryRun("kubectl", ["kustomize", overlayFolder], RepositoryRoot.Path, RenderTimeout)
            ?? throw new InvalidOperationException(
                "kubectl is not installed (not found on PATH). These tests render k8s/overlays/* with " +
                "`kubectl kustomize`, offline: install kubectl 1.27 or later (kustomize v5), e.g. the `kubectl` " +
                "Debian package of the Kubernetes or Google Cloud apt repository. Debian's own " +
                "`kubernetes-client` (1.20, kustomize v2) is too old for these kustomizations.");
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException(
                $"`kubectl kustomize {overlayFolder}` failed ({result.ExitCode}):\n{result.StandardError}");
        }

        return result.StandardOutput;
    }
}

[CollectionDefinition(Name)]
public sealed class ManifestsCollection : ICollectionFixture<RenderedManifests>
{
    public const string Name = "Rendered manifests";
}
