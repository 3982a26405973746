namespace Payments.Api.Routing;

/// <summary>How this API reaches each region's cluster: <c>Payments:Clusters:{region}:Redis</c>, the region's membership store.</summary>
public sealed record ClusterSettings(string Region, string Redis)
{
    public const string Section = "Payments:Clusters";

    public static IReadOnlyList<ClusterSettings> From(IConfiguration configuration)
    {
        var clusters = configuration.GetSection(Section).GetChildren()
            .Select(section => new ClusterSettings(section.Key, section["Redis"] ?? ""))
            .ToList();
        if (clusters.Count == 0 || clusters.Any(cluster => string.IsNullOrWhiteSpace(cluster.Redis)))
        {
            throw new InvalidOperationException(
                $"{Section} must give each region's cluster its Redis, e.g. {Section}:region-a:Redis=127.0.0.1:6380 " +
                $"(Payments__Clusters__region-a__Redis); for a quick look without any server set {Hosting.EmbeddedSilo.Setting}=true.");
        }

        return clusters;
    }
}
