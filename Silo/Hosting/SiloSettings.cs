using System.Net;

namespace Payments.Silo.Hosting;

/// <summary>
/// Where a silo's stores are and how it listens. Without Redis, the silo runs the embedded mode. Its identity (region,
/// service id) is <see cref="Payments.Regions.ClusterIdentityOptions"/>.
/// </summary>
public sealed record SiloSettings(
    string? Postgres,
    string? Redis,
    IPAddress AdvertisedIp,
    int SiloPort,
    int GatewayPort,
    bool ListenOnAnyHostAddress)
{
    /// <summary>No Redis: localhost clustering, in-memory storage and ledger, for a quick look.</summary>
    public bool Embedded => string.IsNullOrWhiteSpace(Redis);

    public static SiloSettings From(IConfiguration configuration) => new(
        configuration.GetConnectionString("Postgres"),
        configuration.GetConnectionString("Redis"),
        IPAddress.Parse(configuration["Orleans:AdvertisedIP"] ?? "127.0.0.1"),
        configuration.GetValue("Orleans:SiloPort", 11111),
        configuration.GetValue("Orleans:GatewayPort", 30000),
        configuration.GetValue("Orleans:ListenOnAnyHostAddress", false));
}
