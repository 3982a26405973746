using System.Text.Json.Nodes;
using Payments.K8s.Tests.Infrastructure;

namespace Payments.K8s.Tests;

/// <summary>Silos scale through Orleans itself (more pods), never below two, and leave one at a time.</summary>
[Collection(ManifestsCollection.Name)]
public sealed class ScalingTests(RenderedManifests manifests)
{
    public static TheoryData<string> ScaledDeployments => ["silo", "api"];

    [Theory]
    [MemberData(nameof(ScaledDeployments))]
    public void Every_region_autoscales_from_at_least_two_replicas(string deploymentName)
    {
        foreach (var region in RenderedManifests.RegionOverlays)
        {
            var @namespace = RenderedManifests.RegionNamespace(region);
            var deployment = manifests.Get("Deployment", @namespace, deploymentName);
            var autoscaler = manifests.OfKind("HorizontalPodAutoscaler").SingleOrDefault(hpa =>
                hpa.Namespace == @namespace
                && Json.Text(hpa.Spec?["scaleTargetRef"]?["kind"]) == "Deployment"
                && Json.Text(hpa.Spec?["scaleTargetRef"]?["name"]) == deploymentName);

            Assert.True(autoscaler is not null, $"No HorizontalPodAutoscaler targets {deployment}");
            Assert.Equal("autoscaling/v2", autoscaler.ApiVersion);
            var min = Json.Number(autoscaler.Spec?["minReplicas"]) ?? 1;
            var max = Json.Number(autoscaler.Spec?["maxReplicas"]) ?? 0;
            Assert.True(min >= 2, $"{autoscaler}: minReplicas {min} is under 2");
            Assert.True(max >= min, $"{autoscaler}: maxReplicas {max} is under minReplicas {min}");
            // A replica count in the manifest would reset the autoscaler's choice at every apply.
            Assert.Null(deployment.Spec?["replicas"]);
        }
    }

    [Theory]
    [MemberData(nameof(ScaledDeployments))]
    public void Every_region_has_a_disruption_budget_selecting_its_pods(string deploymentName)
    {
        foreach (var region in RenderedManifests.RegionOverlays)
        {
            var deployment = manifests.Get("Deployment", RenderedManifests.RegionNamespace(region), deploymentName);
            var budgets = manifests.OfKind("PodDisruptionBudget")
                .Where(pdb => pdb.Namespace == deployment.Namespace && NetworkPolicies.Matches(pdb.Spec?["selector"], deployment.PodLabels))
                .ToList();

            var budget = Assert.Single(budgets);
            Assert.Equal("policy/v1", budget.ApiVersion);
            Assert.True(budget.Spec?["maxUnavailable"] is not null || budget.Spec?["minAvailable"] is not null, $"{budget} sets no bound");
        }
    }

    [Fact]
    public void Every_disruption_budget_selects_the_pods_of_exactly_one_workload()
    {
        var budgets = manifests.OfKind("PodDisruptionBudget").ToList();

        Assert.NotEmpty(budgets);
        Assert.All(budgets, budget =>
        {
            Assert.NotEmpty(Json.StringMap(budget.Spec?["selector"]?["matchLabels"]));
            var selected = manifests.Workloads
                .Where(w => w.Namespace == budget.Namespace && NetworkPolicies.Matches(budget.Spec?["selector"], w.PodLabels))
                .ToList();
            Assert.True(selected.Count == 1, $"{budget} selects the pods of {selected.Count} workloads");
        });
    }
}
