using System.Globalization;

namespace Payments.K8s.Tests.Infrastructure;

/// <summary>Kubernetes resource quantities ("500m", "2", "512Mi", "1Gi") as plain numbers, for comparison.</summary>
public static class Quantity
{
    private static readonly (string Suffix, decimal Factor)[] Suffixes =
    [
        ("Ki", 1024m), ("Mi", 1024m * 1024), ("Gi", 1024m * 1024 * 1024), ("Ti", 1024m * 1024 * 1024 * 1024),
        ("k", 1e3m), ("M", 1e6m), ("G", 1e9m), ("T", 1e12m), ("m", 0.001m),
    ];

    public static decimal Parse(string text)
    {
        foreach (var (suffix, factor) in Suffixes)
        {
            if (text.EndsWith(suffix, StringComparison.Ordinal))
            {
                return decimal.Parse(text[..^suffix.Length], NumberStyles.Number, CultureInfo.InvariantCulture) * factor;
            }
        }

        return decimal.Parse(text, NumberStyles.Number, CultureInfo.InvariantCulture);
    }
}
