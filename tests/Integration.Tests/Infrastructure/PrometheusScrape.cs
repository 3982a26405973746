using System.Globalization;
using System.Text.RegularExpressions;

namespace Payments.Integration.Tests.Infrastructure;

/// <summary>One scrape of a Prometheus text exposition, read back as samples.</summary>
public sealed partial class PrometheusScrape(string text)
{
    public string Text => text;

    /// <summary>The sum of the samples named <paramref name="name"/> whose labels include all of <paramref name="labels"/>.</summary>
    public double Sum(string name, params (string Name, string Value)[] labels) =>
        text.Split('\n')
            .Select(line => Sample().Match(line))
            .Where(match => match.Success && match.Groups["name"].Value == name)
            .Where(match => labels.All(label => match.Groups["labels"].Value.Contains($"{label.Name}=\"{label.Value}\"", StringComparison.Ordinal)))
            .Sum(match => double.Parse(match.Groups["value"].Value, CultureInfo.InvariantCulture));

    /// <summary>Whether any sample is named <paramref name="name"/>.</summary>
    public bool Has(string name) => text.Split('\n').Any(line => Sample().Match(line) is { Success: true } match && match.Groups["name"].Value == name);

    [GeneratedRegex(@"^(?<name>[a-zA-Z_:][a-zA-Z0-9_:]*)(\{(?<labels>.*)\})? (?<value>\S+)")]
    private static partial Regex Sample();
}
