namespace Payments.Api.Routing;

/// <summary>
/// How this API reaches each region's cluster: <c>Payments:Clusters:{region}:Redis</c> (the region's membership
/// store), or with no clusters configured, the embedded silo's localhost gateway.
/// </summary>
public sealed record ClusterSettings(string Region, string? Redis, int LocalGatewayPort)
{
    public static IReadOnlyList<ClusterSettings> From(IConfiguration configuration, string localRegion)
    {
        var clusters = configuration.GetSection("Payments:Clusters").GetChildren()
            .Select(section => new ClusterSettings(section.Key, section["Redis"], section.GetValue("GatewayPort", 30000)))
            .ToList();
        return clusters.Count > 0 ? clusters : [new ClusterSettings(localRegion, null, 30000)];
    }
}
