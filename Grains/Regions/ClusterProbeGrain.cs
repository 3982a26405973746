using Orleans.Concurrency;

namespace Payments.Regions;

/// <summary>
/// Answers an API's probe on the gateway silo that received it (a stateless worker is activated locally, with no
/// directory lookup and no storage), so a probe measures the path to the cluster and nothing else.
/// </summary>
[StatelessWorker]
public sealed class ClusterProbeGrain(SiloRegion silo) : Grain, IClusterProbeGrain
{
    public Task<string> PingAsync() => Task.FromResult(silo.Name);
}
