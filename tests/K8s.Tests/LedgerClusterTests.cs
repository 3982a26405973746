using System.Text.Json.Nodes;
using Payments.K8s.Tests.Infrastructure;

namespace Payments.K8s.Tests;

/// <summary>
/// The shared store as the postgres-operator runs it: Patroni in synchronous, strict mode, members in different zones,
/// the operator confined to the store's namespace, and every region connecting to whichever member is primary.
/// </summary>
[Collection(ManifestsCollection.Name)]
public sealed class LedgerClusterTests(RenderedManifests manifests)
{
    private readonly LedgerCluster _cluster = new(manifests);

    [Fact]
    public void Commits_wait_for_a_synchronous_standby_and_survive_the_loss_of_any_member()
    {
        var patroni = _cluster.Spec["patroni"];
        var instances = Json.Number(_cluster.Spec["numberOfInstances"]) ?? 0;
        var synchronous = Json.Number(patroni?["synchronous_node_count"]) ?? 1;

        Assert.Equal("15", Json.Text(_cluster.Spec["postgresql"]?["version"]));
        Assert.True(Json.Boolean(patroni?["synchronous_mode"]), "synchronous_mode is not on");
        Assert.True(Json.Boolean(patroni?["synchronous_mode_strict"]), "synchronous_mode_strict is not on");
        // Strict mode stops writes when no synchronous standby is left: after losing one member there must still be a
        // primary and `synchronous_node_count` standbys.
        Assert.True(instances - 1 >= 1 + synchronous, $"{instances} members cannot lose one and keep {synchronous} synchronous standby");
        Assert.Equal(0, Json.Number(patroni?["maximum_lag_on_failover"]));
    }

    [Fact]
    public void Patroni_timings_keep_the_leader_lock_safe()
    {
        var patroni = _cluster.Spec["patroni"];
        var ttl = Json.Number(patroni?["ttl"]) ?? 30;
        var loopWait = Json.Number(patroni?["loop_wait"]) ?? 10;
        var retryTimeout = Json.Number(patroni?["retry_timeout"]) ?? 10;

        // Patroni's rule (it does not check it itself): a leader that cannot reach the store demotes before its lock expires.
        Assert.True(loopWait + 2 * retryTimeout <= ttl, $"loop_wait {loopWait} + 2 × retry_timeout {retryTimeout} > ttl {ttl}");
    }

    [Fact]
    public void Members_are_spread_one_per_zone()
    {
        var spread = Assert.Single(Json.Objects(_cluster.Spec["topologySpreadConstraints"]));

        Assert.Equal("topology.kubernetes.io/zone", Json.Text(spread["topologyKey"]));
        Assert.Equal("DoNotSchedule", Json.Text(spread["whenUnsatisfiable"]));
        Assert.Equal(1, Json.Number(spread["maxSkew"]));
        Assert.True(NetworkPolicies.Matches(spread["labelSelector"], _cluster.Member("replica").Labels), "the spread does not select the members");
        // The operator's anti-affinity makes "one per zone" a rule.
        Assert.Equal("true", _cluster.Setting("enable_pod_antiaffinity"));
        Assert.Equal("topology.kubernetes.io/zone", _cluster.Setting("pod_antiaffinity_topology_key"));
        Assert.Equal("false", _cluster.Setting("pod_antiaffinity_preferred_during_scheduling"));
    }

    [Fact]
    public void Every_region_connects_to_the_primary_only()
    {
        var connections = manifests.OfKind("Deployment")
            .Where(d => d.Name is "silo" or "api")
            .Select(d => (Deployment: d, Connection: manifests.Environment(d, Assert.Single(d.Containers)).GetValueOrDefault("ConnectionStrings__Postgres")))
            .ToList();

        Assert.Equal(2 * RenderedManifests.RegionOverlays.Count, connections.Count);
        var database = Assert.Single(Json.StringMap(_cluster.Spec["databases"]));
        Assert.All(connections, entry =>
        {
            Assert.NotNull(entry.Connection);
            var parts = entry.Connection.Split(';', StringSplitOptions.RemoveEmptyEntries)
                .Select(part => part.Split('=', 2))
                .ToDictionary(pair => pair[0].Trim(), pair => pair[1].Trim(), StringComparer.OrdinalIgnoreCase);
            var hosts = parts.GetValueOrDefault("Host")?.Split(',') ?? [];

            Assert.All(hosts, host => Assert.Contains(host, _cluster.Services.Select(s => $"{s}.{LedgerCluster.Namespace}.svc.cluster.local")));
            Assert.Contains(_cluster.PrimaryAddress, hosts);
            Assert.Equal("primary", parts.GetValueOrDefault("Target Session Attributes"));
            Assert.True(int.TryParse(parts.GetValueOrDefault("Host Recheck Seconds"), out var recheck) && recheck <= 5,
                $"{entry.Deployment}: Host Recheck Seconds '{parts.GetValueOrDefault("Host Recheck Seconds")}' keeps a stale verdict too long");
            Assert.Equal(database.Key, parts.GetValueOrDefault("Database"));
            Assert.Equal(database.Value, parts.GetValueOrDefault("Username"));
            Assert.Contains(database.Value, Json.StringMap(_cluster.Spec["users"]).Keys);
        });
        Assert.Single(connections.Select(entry => entry.Connection).Distinct());
    }

    [Fact]
    public void The_operator_watches_only_the_store_namespace_and_brings_its_own_definitions()
    {
        var definition = manifests.Get("CustomResourceDefinition", "", "postgresqls.acid.zalan.do");
        var operatorDeployment = manifests.Get("Deployment", LedgerCluster.Namespace, "postgres-operator");
        var environment = manifests.Environment(operatorDeployment, Assert.Single(operatorDeployment.Containers));

        Assert.Equal("acid.zalan.do", Json.Text(definition.Spec?["group"]));
        Assert.Equal("postgresql", Json.Text(definition.Spec?["names"]?["kind"]));
        Assert.Equal("Namespaced", Json.Text(definition.Spec?["scope"]));
        Assert.Contains(Json.Objects(definition.Spec?["versions"]), v => Json.Text(v["name"]) == "v1" && Json.Boolean(v["storage"]) == true);
        Assert.Equal("postgres-operator", environment.GetValueOrDefault("CONFIG_MAP_NAME"));
        Assert.Equal(LedgerCluster.Namespace, _cluster.Setting("watched_namespace"));
        Assert.Equal("false", _cluster.Setting("enable_crd_registration"));
        Assert.Equal(1, Json.Number(operatorDeployment.Spec?["replicas"]));
        Assert.StartsWith(_cluster.Spec["teamId"]?.GetValue<string>() + "-", _cluster.Name, StringComparison.Ordinal);
    }

    [Fact]
    public void The_operator_writes_only_inside_the_store_namespace_and_its_pods_run_unprivileged()
    {
        var clusterRoles = manifests.OfKind("ClusterRole").ToList();
        var podAccount = _cluster.Setting("pod_service_account_name");
        var binding = JsonNode.Parse(_cluster.Setting("pod_service_account_role_binding_definition"));

        Assert.All(clusterRoles.SelectMany(role => Json.Objects(role.Body["rules"])), rule =>
            Assert.All(rule["verbs"]?.AsArray().Select(Json.Text) ?? [], verb => Assert.Contains(verb, new[] { "get", "list", "watch" })));
        // The pods' account and binding exist already, so the operator creates none (it only checks).
        manifests.Get("ServiceAccount", LedgerCluster.Namespace, podAccount);
        var rendered = manifests.Get("RoleBinding", LedgerCluster.Namespace, Json.Text(binding?["metadata"]?["name"]) ?? "");
        Assert.Equal(Json.Text(binding?["roleRef"]?["name"]), Json.Text(rendered.Body["roleRef"]?["name"]));
        Assert.Equal("Role", Json.Text(rendered.Body["roleRef"]?["kind"]));
        Assert.Contains(Json.Objects(rendered.Body["subjects"]), s => Json.Text(s["name"]) == podAccount);
        Assert.Equal("false", _cluster.Setting("spilo_privileged"));
        Assert.Equal("false", _cluster.Setting("spilo_allow_privilege_escalation"));
        Assert.NotEqual("0", _cluster.Setting("spilo_runasuser"));
        Assert.Equal("false", _cluster.Setting("enable_master_load_balancer"));
    }
}
