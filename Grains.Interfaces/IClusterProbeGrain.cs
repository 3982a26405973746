namespace Payments;

/// <summary>The cheapest call a cluster can answer: an API's health probe of that cluster.</summary>
public interface IClusterProbeGrain : IGrainWithIntegerKey
{
    /// <summary>Returns the region (ClusterId) of the silo that answered.</summary>
    Task<string> PingAsync();
}
