using System.Text.Json.Nodes;

namespace Payments.K8s.Tests.Infrastructure;

/// <summary>
/// The PostgreSQL cluster that the postgres-operator runs from the data overlay's <c>postgresql</c> resource. Its pods
/// and Services are not rendered (the operator creates them in the cluster); this model names and labels them the
/// way the operator does, from the resource and the operator's configuration ConfigMap: pods carry
/// <c>cluster_labels</c>, the cluster's name under <c>cluster_name_label</c>, <c>team</c>, and the role Patroni sets
/// under <c>pod_role_label</c>; Service <c>{name}</c> is the primary, <c>{name}-repl</c> the standbys.
/// </summary>
public sealed class LedgerCluster
{
    public const string Namespace = "payments-data";

    private readonly IReadOnlyDictionary<string, string> _configuration;

    public LedgerCluster(RenderedManifests manifests)
    {
        Resource = Assert.Single(manifests.OfKind("postgresql"));
        Assert.Equal("acid.zalan.do/v1", Resource.ApiVersion);
        Assert.Equal(Namespace, Resource.Namespace);
        _configuration = manifests.Get("ConfigMap", Namespace, "postgres-operator").Data;
    }

    public Resource Resource { get; }

    public string Name => Resource.Name;

    public JsonObject Spec => Resource.Spec ?? throw new Xunit.Sdk.XunitException($"{Resource} has no spec");

    public string Setting(string key) =>
        _configuration.GetValueOrDefault(key) ?? throw new Xunit.Sdk.XunitException($"The operator's configuration sets no {key}");

    /// <summary>The labels of every member pod, whatever its role.</summary>
    public IReadOnlyDictionary<string, string> PodLabels
    {
        get
        {
            var labels = Setting("cluster_labels")
                .Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .Select(pair => pair.Split(':', 2))
                .ToDictionary(pair => pair[0], pair => pair[1], StringComparer.Ordinal);
            labels[Setting("cluster_name_label")] = Name;
            labels["team"] = Json.Text(Spec["teamId"]) ?? "";
            return labels;
        }
    }

    /// <summary>A member pod in a role Patroni gives it: <c>master</c> or <c>replica</c>.</summary>
    public Pod Member(string role) =>
        new(Namespace, new Dictionary<string, string>(PodLabels, StringComparer.Ordinal) { [Setting("pod_role_label")] = role });

    public string PrimaryService => Name;

    public string ReplicaService => $"{Name}-repl";

    public IReadOnlyList<string> Services => [PrimaryService, ReplicaService];

    public string PrimaryAddress => $"{PrimaryService}.{Namespace}.svc.cluster.local";
}
