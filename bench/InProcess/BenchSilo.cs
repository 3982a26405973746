using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Payments.Ledger;
using Payments.Silo.Hosting;

namespace Payments.InProcess;

/// <summary>
/// One silo in this process, configured as a region's silo is (Silo/Hosting/SiloHosting.cs) but with localhost
/// clustering and in-memory reminders: the PostgreSQL ledger and AdoNet account storage are the real ones.
/// </summary>
public sealed class BenchSilo : IAsyncDisposable
{
    private readonly IHost _host;

    private BenchSilo(IHost host) => _host = host;

    public IClusterClient Client => _host.Services.GetRequiredService<IClusterClient>();

    public LedgerMetrics Ledger => _host.Services.GetRequiredService<LedgerMetrics>();

    public static async Task<BenchSilo> StartAsync(string postgres)
    {
        using (var loggers = LoggerFactory.Create(logging => logging.AddSimpleConsole()))
        {
            await SchemaMigrator.ApplyAsync(postgres, loggers.CreateLogger("migrations"), CancellationToken.None);
        }

        var builder = Host.CreateApplicationBuilder();
        // The region rules come from the silo's appsettings.json, copied beside this program by the project reference.
        builder.Configuration.AddJsonFile(Path.Combine(AppContext.BaseDirectory, "appsettings.json"), optional: false);
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ConnectionStrings:Postgres"] = postgres,
            ["Payments:Region"] = "region-a",
            ["Logging:LogLevel:Default"] = "Warning",
        });
        builder.Services.AddPaymentsGrains(builder.Configuration);
        builder.UseOrleans(silo =>
        {
            silo.UseLocalhostClustering(FreePort(), FreePort(), serviceId: "payments-inprocess", clusterId: "region-a");
            silo.AddAdoNetGrainStorage(PaymentsSilo.AccountStorage, options =>
            {
                options.Invariant = "Npgsql";
                options.ConnectionString = postgres;
            });
            silo.UseInMemoryReminderService();
        });
        var host = builder.Build();
        await host.StartAsync();
        return new BenchSilo(host);
    }

    public async ValueTask DisposeAsync()
    {
        await _host.StopAsync(TimeSpan.FromSeconds(30));
        _host.Dispose();
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
