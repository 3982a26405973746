using Payments.Api.Routing;

namespace Payments.Api.Tests;

/// <summary>Serves every region from one test cluster's client.</summary>
public sealed class TestClusterClients(IClusterClient client, string region) : IClusterClients
{
    public IReadOnlyCollection<string> Regions => [region];

    public IClusterClient? Find(string name) => client;

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
