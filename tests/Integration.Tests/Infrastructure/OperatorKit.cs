using System.Text.Json;
using System.Text.RegularExpressions;
using YamlDotNet.RepresentationModel;

namespace Payments.Integration.Tests.Infrastructure;

/// <summary>
/// The operator's kit as files: the Grafana dashboard (ops/grafana/payments-dashboard.json) and the Prometheus rules
/// (ops/prometheus/payments-rules.yml), read for the metric names their PromQL queries use.
/// </summary>
public static partial class OperatorKit
{
    private static readonly HashSet<string> Keywords =
    [
        "sum", "min", "max", "avg", "count", "stddev", "stdvar", "topk", "bottomk", "quantile", "count_values", "group",
        "and", "or", "unless", "by", "without", "on", "ignoring", "group_left", "group_right", "offset", "bool", "inf", "nan",
    ];

    public static string DashboardFile => Path.Combine(RepositoryRoot(), "ops", "grafana", "payments-dashboard.json");

    public static string RulesFile => Path.Combine(RepositoryRoot(), "ops", "prometheus", "payments-rules.yml");

    /// <summary>Every PromQL expression of the dashboard: panel targets, and the metrics its variables read labels from.</summary>
    public static IReadOnlyList<string> DashboardQueries()
    {
        using var dashboard = JsonDocument.Parse(File.ReadAllText(DashboardFile));
        var root = dashboard.RootElement;
        var targets = root.GetProperty("panels").EnumerateArray()
            .Where(panel => panel.TryGetProperty("targets", out _))
            .SelectMany(panel => panel.GetProperty("targets").EnumerateArray())
            .Select(target => target.GetProperty("expr").GetString() ?? "");
        var variables = root.GetProperty("templating").GetProperty("list").EnumerateArray()
            .Where(variable => variable.GetProperty("type").GetString() == "query")
            .Select(variable => LabelValues().Match(variable.GetProperty("definition").GetString() ?? "") is { Success: true } match
                ? match.Groups["metric"].Value
                : throw new InvalidDataException($"Dashboard variable {variable.GetProperty("name")} is no label_values(metric, label) query"));
        return [.. targets, .. variables];
    }

    /// <summary>The rules file's expressions, and the names it records.</summary>
    public static (IReadOnlyList<string> Expressions, IReadOnlySet<string> Recorded) Rules()
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(File.ReadAllText(RulesFile)));
        var rules = ((YamlSequenceNode)((YamlMappingNode)stream.Documents[0].RootNode)["groups"])
            .Cast<YamlMappingNode>()
            .SelectMany(group => ((YamlSequenceNode)group["rules"]).Cast<YamlMappingNode>())
            .ToList();
        string? Scalar(YamlMappingNode rule, string key) =>
            rule.Children.TryGetValue(key, out var node) ? ((YamlScalarNode)node).Value : null;
        return ([.. rules.Select(rule => Scalar(rule, "expr") ?? "")],
            rules.Select(rule => Scalar(rule, "record")).OfType<string>().ToHashSet(StringComparer.Ordinal));
    }

    /// <summary>
    /// The metric names a PromQL expression selects: what is left once strings, label matchers, ranges, grouping
    /// clauses, Grafana variables, function calls and keywords are taken out. Names with a colon are recording rules.
    /// </summary>
    public static IEnumerable<string> MetricNames(string expression)
    {
        var bare = StringLiteral().Replace(expression, " ");
        bare = GrafanaVariable().Replace(bare, " ");
        bare = LabelMatchers().Replace(bare, " ");
        bare = Range().Replace(bare, " ");
        bare = Grouping().Replace(bare, " ");
        return Identifier().Matches(bare)
            .Where(match => !match.Groups["call"].Success && !Keywords.Contains(match.Groups["name"].Value))
            .Select(match => match.Groups["name"].Value)
            .Distinct(StringComparer.Ordinal);
    }

    private static string RepositoryRoot()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "Payments.sln")))
            {
                return folder.FullName;
            }
        }

        throw new InvalidOperationException($"No Payments.sln above {AppContext.BaseDirectory}: run the tests from the repository.");
    }

    [GeneratedRegex(@"label_values\((?<metric>[a-zA-Z_:][a-zA-Z0-9_:]*)\s*,")]
    private static partial Regex LabelValues();

    [GeneratedRegex(@"""(?:[^""\\]|\\.)*""|'(?:[^'\\]|\\.)*'")]
    private static partial Regex StringLiteral();

    [GeneratedRegex(@"\$\{?\w+\}?")]
    private static partial Regex GrafanaVariable();

    [GeneratedRegex(@"\{[^}]*\}")]
    private static partial Regex LabelMatchers();

    [GeneratedRegex(@"\[[^\]]*\]")]
    private static partial Regex Range();

    [GeneratedRegex(@"\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)")]
    private static partial Regex Grouping();

    [GeneratedRegex(@"(?<![\w.])(?<name>[a-zA-Z_:][a-zA-Z0-9_:]*)(?<call>\s*\()?")]
    private static partial Regex Identifier();
}
