using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Orleans.Hosting;
using Payments.Regions;

namespace Payments;

/// <summary>
/// How a host runs the Payments grains itself: the silo host (<c>Silo/</c>) always, the API for its quick look. A
/// region is one Orleans cluster, so the ClusterId is the region (<see cref="ClusterIdentityOptions"/>).
/// </summary>
public static class PaymentsSilo
{
    /// <summary>The grain storage of the account snapshots (<c>[PersistentState("account", "accounts")]</c>).</summary>
    public const string AccountStorage = "accounts";

    /// <summary>ClusterId = the region, ServiceId = the service every region shares, both from the validated identity.</summary>
    public static ISiloBuilder UsePaymentsIdentity(this ISiloBuilder silo)
    {
        silo.Services.AddOptions<ClusterOptions>().Configure<IOptions<ClusterIdentityOptions>>((cluster, identity) =>
        {
            cluster.ClusterId = identity.Value.Region;
            cluster.ServiceId = identity.Value.ServiceId;
        });
        return silo;
    }

    /// <summary>The embedded mode's cluster: this silo alone on localhost clustering, its reminders in memory.</summary>
    public static ISiloBuilder UseEmbeddedCluster(this ISiloBuilder silo, int siloPort, int gatewayPort) =>
        silo.UseLocalhostClustering(siloPort, gatewayPort).UseInMemoryReminderService();

    /// <summary>Account snapshots in memory: the embedded mode without PostgreSQL, where nothing survives the process.</summary>
    public static ISiloBuilder AddInMemoryAccountStorage(this ISiloBuilder silo) => silo.AddMemoryGrainStorage(AccountStorage);
}
