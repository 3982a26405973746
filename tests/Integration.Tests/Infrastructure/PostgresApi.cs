using System.Net.Http.Headers;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Orleans.TestingHost;
using Payments.Api.Routing;
using Payments.Api.Tests;
// Silo and Client.Api both have a public Program: the factory needs only a type of the API's assembly.
using ApiAssembly = Payments.Api.Routing.ApiRegion;

namespace Payments.Integration.Tests.Infrastructure;

/// <summary>
/// The real API on the real PostgreSQL: issued keys in <c>api_keys</c>, the audit in <c>admin_audit</c>, and a one-silo
/// test cluster whose ledger and grain storage are PostgreSQL too. Each <see cref="Instance"/> is one more API process
/// on the same database, as in a region with several API pods.
/// </summary>
public sealed class PostgresApi : IAsyncDisposable
{
    public const string BootstrapAdminKey = "dev-admin-key";

    private readonly List<WebApplicationFactory<ApiAssembly>> _instances = [];
    private readonly string _postgres;
    private readonly InProcessTestCluster _cluster;

    private PostgresApi(string postgres, InProcessTestCluster cluster) => (_postgres, _cluster) = (postgres, cluster);

    public static async Task<PostgresApi> StartAsync(RealServers servers)
    {
        var builder = new InProcessTestClusterBuilder(1);
        builder.Options.ClusterId = "region-a";
        builder.Options.ServiceId = $"payments-security-{Guid.NewGuid():N}";
        builder.ConfigureSiloHost((_, host) =>
        {
            host.Configuration.AddInMemoryCollection(TestRegion.SiloConfiguration());
            host.Configuration["ConnectionStrings:Postgres"] = servers.PostgresConnectionString;
            host.Configuration["Payments:Webhooks:SecretKey"] = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));
            host.Services.AddPaymentsGrains(host.Configuration);
        });
        builder.ConfigureSilo((_, silo) => silo
            .AddAdoNetGrainStorage("accounts", options =>
            {
                options.Invariant = "Npgsql";
                options.ConnectionString = servers.PostgresConnectionString;
            })
            .UseInMemoryReminderService());
        var cluster = builder.Build();
        await cluster.DeployAsync();
        return new PostgresApi(servers.PostgresConnectionString, cluster);
    }

    /// <summary>The first API instance.</summary>
    public WebApplicationFactory<ApiAssembly> Factory => _instances.Count > 0 ? _instances[0] : Instance();

    /// <summary>Starts another API instance on the same database and cluster.</summary>
    public WebApplicationFactory<ApiAssembly> Instance()
    {
        var instance = new WebApplicationFactory<ApiAssembly>().WithWebHostBuilder(web =>
        {
            web.UseSetting("ConnectionStrings:Postgres", _postgres);
            web.ConfigureTestServices(services =>
            {
                services.RemoveAll<IClusterClients>();
                services.AddSingleton<IClusterClients>(new TestClusterClients(_cluster.Client, "region-a"));
            });
        });
        _instances.Add(instance);
        return instance;
    }

    public HttpClient Client(string? key, WebApplicationFactory<ApiAssembly>? instance = null)
    {
        var client = (instance ?? Factory).CreateClient();
        if (key is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        }

        return client;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var instance in _instances)
        {
            await instance.DisposeAsync();
        }

        await _cluster.StopAllSilosAsync();
        await _cluster.DisposeAsync();
    }
}
