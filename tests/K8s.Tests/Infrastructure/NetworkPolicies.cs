using System.Text.Json.Nodes;

namespace Payments.K8s.Tests.Infrastructure;

/// <summary>A pod as NetworkPolicy sees it: its namespace and its labels.</summary>
public sealed record Pod(string Namespace, IReadOnlyDictionary<string, string> Labels)
{
    public override string ToString() =>
        $"{Namespace}/{Labels.GetValueOrDefault("app.kubernetes.io/name", string.Join(',', Labels.Select(l => $"{l.Key}={l.Value}")))}";
}

/// <summary>
/// Evaluates the rendered NetworkPolicies the way the Kubernetes model defines them: traffic flows when the source's
/// egress and the destination's ingress both allow it; a direction no policy selects a pod for is open.
/// Namespaces carry the kubernetes.io/metadata.name label the API server sets, plus their rendered labels.
/// Supports label selectors (matchLabels, matchExpressions) and numeric TCP ports, which is all these manifests use;
/// anything else throws.
/// </summary>
public sealed class NetworkPolicies(RenderedManifests manifests)
{
    private readonly IReadOnlyList<Resource> _policies = [.. manifests.OfKind("NetworkPolicy")];

    public bool Allows(Pod source, Pod destination, int port) =>
        Allows(source, destination, port, "Egress") && Allows(destination, source, port, "Ingress");

    public Pod PodOf(string @namespace, string app)
    {
        var workload = manifests.Workloads.SingleOrDefault(w =>
            w.Namespace == @namespace && w.PodLabels.GetValueOrDefault("app.kubernetes.io/name") == app);
        return workload is null
            ? throw new Xunit.Sdk.XunitException($"No workload with pods app.kubernetes.io/name={app} in {@namespace}.")
            : new Pod(@namespace, workload.PodLabels);
    }

    /// <summary>
    /// Whether <paramref name="pod"/>'s policies let it talk to <paramref name="peer"/> in <paramref name="direction"/>
    /// ("Egress": pod to peer; "Ingress": peer to pod).
    /// </summary>
    private bool Allows(Pod pod, Pod peer, int port, string direction)
    {
        var selecting = _policies
            .Where(policy => policy.Namespace == pod.Namespace
                && Matches(policy.Spec?["podSelector"], pod.Labels)
                && PolicyTypes(policy).Contains(direction))
            .ToList();
        if (selecting.Count == 0)
        {
            return true;
        }

        var rulesKey = direction == "Egress" ? "egress" : "ingress";
        var peersKey = direction == "Egress" ? "to" : "from";
        return selecting
            .SelectMany(policy => Json.Objects(policy.Spec?[rulesKey]).Select(rule => (policy, rule)))
            .Any(pair => PortMatches(pair.rule["ports"], port) && PeerMatches(pair.rule[peersKey], pair.policy.Namespace, peer));
    }

    private static IReadOnlyList<string> PolicyTypes(Resource policy)
    {
        if (policy.Spec?["policyTypes"] is JsonArray types)
        {
            return [.. types.Select(Json.Text).OfType<string>()];
        }

        // The API's default: Ingress always, Egress when the policy has egress rules.
        return policy.Spec?["egress"] is null ? ["Ingress"] : ["Ingress", "Egress"];
    }

    private static bool PortMatches(JsonNode? ports, int port)
    {
        if (ports is not JsonArray list || list.Count == 0)
        {
            return true;
        }

        return Json.Objects(list).Any(entry =>
        {
            var protocol = Json.Text(entry["protocol"]) ?? "TCP";
            var number = Json.Number(entry["port"])
                ?? throw new NotSupportedException($"Only numeric ports are modelled: {entry.ToJsonString()}");
            var end = Json.Number(entry["endPort"]) ?? number;
            return protocol == "TCP" && port >= number && port <= end;
        });
    }

    private bool PeerMatches(JsonNode? peers, string policyNamespace, Pod peer)
    {
        if (peers is not JsonArray list || list.Count == 0)
        {
            return true;
        }

        return Json.Objects(list).Any(entry =>
        {
            if (entry["ipBlock"] is not null)
            {
                return false;
            }

            var namespaceSelector = entry["namespaceSelector"];
            var namespaceMatches = namespaceSelector is null
                ? peer.Namespace == policyNamespace
                : Matches(namespaceSelector, NamespaceLabels(peer.Namespace));
            var podSelector = entry["podSelector"];
            return namespaceMatches && (podSelector is null || Matches(podSelector, peer.Labels));
        });
    }

    public IReadOnlyDictionary<string, string> NamespaceLabels(string @namespace)
    {
        var labels = new Dictionary<string, string>(StringComparer.Ordinal);
        if (manifests.Find("Namespace", @namespace, @namespace) is { } rendered)
        {
            foreach (var (key, value) in Json.StringMap(rendered.Body["metadata"]?["labels"]))
            {
                labels[key] = value;
            }
        }

        labels["kubernetes.io/metadata.name"] = @namespace;
        return labels;
    }

    /// <summary>A label selector (matchLabels and matchExpressions, both must hold) against a label set.</summary>
    public static bool Matches(JsonNode? selector, IReadOnlyDictionary<string, string> labels) =>
        Json.StringMap(selector?["matchLabels"])
            .All(required => labels.TryGetValue(required.Key, out var value) && value == required.Value)
        && Json.Objects(selector?["matchExpressions"]).All(expression => Holds(expression, labels));

    private static bool Holds(JsonObject expression, IReadOnlyDictionary<string, string> labels)
    {
        var key = Json.Text(expression["key"]) ?? "";
        var values = Json.Objects(expression["values"]).Any()
            ? throw new NotSupportedException($"values must be strings: {expression.ToJsonString()}")
            : (expression["values"] as JsonArray)?.Select(Json.Text).ToHashSet() ?? [];
        var present = labels.TryGetValue(key, out var value);
        return Json.Text(expression["operator"]) switch
        {
            "Exists" => present,
            "DoesNotExist" => !present,
            "In" => present && values.Contains(value),
            "NotIn" => !present || !values.Contains(value),
            var other => throw new NotSupportedException($"Selector operator {other} in {expression.ToJsonString()}"),
        };
    }
}
