using System.Net.Http.Headers;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Orleans.TestingHost;
using Payments.Api.Routing;
using Payments.Events;
using Payments.Ledger;

namespace Payments.Api.Tests;

/// <summary>
/// The real API (WebApplicationFactory) in front of a one-silo Orleans test cluster running the real grains with
/// the in-memory ledger. One per test collection; tests use fresh account ids.
/// </summary>
public sealed class ApiFixture : IAsyncLifetime
{
    public const string AdminKey = "dev-admin-key";
    public const string TerminalKey = "dev-terminal-key";
    public const string NetworkKey = "dev-network-key";

    // The silo's ledger; the API hears of its appends too, as an API hears of PostgreSQL's through LISTEN.
    private readonly InMemoryLedgerStore _ledger = new();
    private InProcessTestCluster? _cluster;

    public ApiFixture() => Ledger = new FaultyAccountsLedger(_ledger);

    /// <summary>The silo's ledger, with the faults a test may ask for.</summary>
    public FaultyAccountsLedger Ledger { get; }

    public WebApplicationFactory<Program> Factory { get; private set; } = null!;

    public InProcessTestCluster Cluster => _cluster!;

    public async Task InitializeAsync()
    {
        var builder = new InProcessTestClusterBuilder(1);
        builder.Options.ClusterId = "region-a";
        builder.Options.ServiceId = "payments";
        builder.ConfigureSiloHost((_, host) =>
        {
            host.Configuration.AddInMemoryCollection(TestRegion.SiloConfiguration());
            host.Services.AddSingleton<ILedgerStore>(Ledger);
            host.Services.AddSingleton<IEventFeedStore>(_ledger);
            host.Services.AddPaymentsGrains(host.Configuration);
        });
        builder.ConfigureSilo((_, silo) => silo.AddMemoryGrainStorage("accounts").UseInMemoryReminderService());
        _cluster = builder.Build();
        await _cluster.DeployAsync();

        Factory = new WebApplicationFactory<Program>().WithWebHostBuilder(web => web.ConfigureTestServices(services =>
        {
            services.RemoveAll<IClusterClients>();
            services.AddSingleton<IClusterClients>(new TestClusterClients(_cluster.Client, "region-a"));
            services.RemoveAll<ILedgerAppends>();
            services.AddSingleton<ILedgerAppends>(_ledger);
        }));
    }

    public async Task DisposeAsync()
    {
        await Factory.DisposeAsync();
        if (_cluster is not null)
        {
            await _cluster.StopAllSilosAsync();
            await _cluster.DisposeAsync();
        }
    }

    public HttpClient Client(string apiKey)
    {
        var client = Factory.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", apiKey);
        return client;
    }
}

[CollectionDefinition(Name)]
public sealed class ApiCollection : ICollectionFixture<ApiFixture>
{
    public const string Name = "api";
}
