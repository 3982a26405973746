using Payments.Api.Routing;

namespace Payments.Routing.Tests.Fakes;

/// <summary>The clients of region-a and region-b as fakes; a cluster can be "not connected" (no client yet).</summary>
public sealed class FakeClusters : IClusterClients
{
    private readonly Dictionary<string, FakeCluster> _clusters = new(StringComparer.Ordinal);
    private readonly HashSet<string> _disconnected = new(StringComparer.Ordinal);

    public FakeClusters(params string[] regions)
    {
        foreach (var region in regions)
        {
            _clusters[region] = FakeCluster.Create(region);
        }
    }

    public IReadOnlyCollection<string> Regions => _clusters.Keys;

    public FakeCluster this[string region] => _clusters[region];

    public void Disconnect(string region) => _disconnected.Add(region);

    public IClusterClient? Find(string region) =>
        _clusters.TryGetValue(region, out var cluster) && !_disconnected.Contains(region) ? cluster.Client : null;

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
