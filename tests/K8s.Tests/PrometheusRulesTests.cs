using System.Text.Json.Nodes;
using Payments.K8s.Tests.Infrastructure;

namespace Payments.K8s.Tests;

/// <summary>
/// The alerting and recording rules: one plain rules file (ops/prometheus/payments-rules.yml), valid for promtool,
/// unit-tested with promtool, and the same groups in the k8s monitoring overlay's PrometheusRule.
/// </summary>
[Collection(ManifestsCollection.Name)]
public sealed class PrometheusRulesTests(RenderedManifests manifests)
{
    private static readonly TimeSpan PromtoolTimeout = TimeSpan.FromMinutes(1);
    private static readonly string Folder = RepositoryRoot.Combine("ops", "prometheus");
    private static readonly string RulesFile = Path.Combine(Folder, "payments-rules.yml");

    [Fact]
    public void Promtool_accepts_the_rules_file()
    {
        var result = Promtool("check", "rules", RulesFile);

        Assert.True(result.ExitCode == 0, $"promtool check rules failed:\n{result.StandardOutput}{result.StandardError}");
        Assert.Contains("SUCCESS", result.StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public void The_rules_unit_tests_pass()
    {
        var result = Promtool("test", "rules", Path.Combine(Folder, "payments-rules.test.yml"));

        Assert.True(result.ExitCode == 0, $"promtool test rules failed:\n{result.StandardOutput}{result.StandardError}");
    }

    [Fact]
    public void The_prometheus_rule_holds_exactly_the_groups_of_the_rules_file()
    {
        var plain = Assert.Single(YamlDocuments.Parse(File.ReadAllText(RulesFile)));
        var rule = manifests.Get("PrometheusRule", "monitoring", "payments");

        Assert.Equal("monitoring.coreos.com/v1", rule.ApiVersion);
        Assert.True(JsonNode.DeepEquals(plain["groups"], rule.Spec?["groups"]),
            "k8s/overlays/monitoring/payments-rules.yaml differs from ops/prometheus/payments-rules.yml: copy the file's groups into it");
    }

    [Fact]
    public void Every_alert_has_a_severity_a_summary_and_a_description()
    {
        var alerts = RulesFileAlerts().ToList();

        Assert.NotEmpty(alerts);
        Assert.All(alerts, alert =>
        {
            var name = Json.Text(alert["alert"]);
            Assert.Contains(Json.Text(alert["labels"]?["severity"]), new[] { "page", "ticket" });
            Assert.False(string.IsNullOrWhiteSpace(Json.Text(alert["annotations"]?["summary"])), $"{name} has no summary");
            Assert.False(string.IsNullOrWhiteSpace(Json.Text(alert["annotations"]?["description"])), $"{name} has no description");
        });
    }

    private static IEnumerable<JsonObject> RulesFileAlerts() =>
        Json.Objects(Assert.Single(YamlDocuments.Parse(File.ReadAllText(RulesFile)))["groups"])
            .SelectMany(group => Json.Objects(group["rules"]))
            .Where(rule => rule["alert"] is not null);

    private static ProcessResult Promtool(params string[] arguments) =>
        ProcessRunner.TryRun("promtool", arguments, Folder, PromtoolTimeout)
        ?? throw new InvalidOperationException(
            "promtool is not installed (not found on PATH): it checks and unit-tests ops/prometheus/payments-rules.yml. " +
            "Debian/Ubuntu: apt-get install prometheus (scripts/test.sh installs it).");
}
