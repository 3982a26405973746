using System.Text;
using System.Text.Json.Nodes;

namespace Payments.K8s.Tests.Infrastructure;

/// <summary>One rendered Kubernetes object and the overlay that produced it.</summary>
public sealed record Resource(string Overlay, JsonObject Body)
{
    public string ApiVersion => Body["apiVersion"]?.GetValue<string>() ?? "";

    public string Kind => Body["kind"]?.GetValue<string>() ?? "";

    public string Name => Body["metadata"]?["name"]?.GetValue<string>() ?? "";

    /// <summary>The namespace the object lives in; a Namespace is its own.</summary>
    public string Namespace => Kind == "Namespace" ? Name : Body["metadata"]?["namespace"]?.GetValue<string>() ?? "";

    public JsonObject? Spec => Body["spec"] as JsonObject;

    /// <summary>The pod template of a workload (Deployment, StatefulSet, DaemonSet, Job), else null.</summary>
    public JsonObject? PodTemplate => Kind is "Deployment" or "StatefulSet" or "DaemonSet" or "Job"
        ? Spec?["template"] as JsonObject
        : null;

    public JsonObject? PodSpec => PodTemplate?["spec"] as JsonObject;

    public IReadOnlyDictionary<string, string> PodLabels => Json.StringMap(PodTemplate?["metadata"]?["labels"]);

    public IEnumerable<JsonObject> Containers => Json.Objects(PodSpec?["containers"]);

    public IEnumerable<JsonObject> InitContainers => Json.Objects(PodSpec?["initContainers"]);

    /// <summary>The key/value pairs of a ConfigMap or Secret (Secret data decoded from base64).</summary>
    public IReadOnlyDictionary<string, string> Data
    {
        get
        {
            var values = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var (key, value) in Json.StringMap(Body["data"]))
            {
                values[key] = Kind == "Secret" ? Encoding.UTF8.GetString(Convert.FromBase64String(value)) : value;
            }

            foreach (var (key, value) in Json.StringMap(Body["stringData"]))
            {
                values[key] = value;
            }

            return values;
        }
    }

    public override string ToString() => $"{Overlay}: {Kind} {Namespace}/{Name}";
}
