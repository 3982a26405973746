namespace Payments.Api.Routing;

/// <summary>The Orleans clients of the regions' clusters; as a hosted service it connects them in the background.</summary>
public interface IClusterClients : IHostedService
{
    /// <summary>The regions whose clusters this API is configured to reach.</summary>
    IReadOnlyCollection<string> Regions { get; }

    /// <summary>The connected client of <paramref name="region"/>'s cluster, or null when it is not connected.</summary>
    IClusterClient? Find(string region);
}
