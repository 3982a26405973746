using Orleans.Configuration;
using StackExchange.Redis;

namespace Payments.Api.Routing;

/// <summary>
/// The Orleans client of one region's cluster, in a host of its own (one process can hold clients of several
/// clusters that way). It connects in the background and keeps trying, so an unreachable cluster never stops the
/// API from starting. Its logs go through the API's loggers, and its calls carry the caller's trace context.
/// </summary>
public sealed class RegionCluster(ClusterSettings settings, string serviceId, ILoggerFactory loggers, ILogger logger) : IAsyncDisposable
{
    private static readonly TimeSpan RetryDelay = TimeSpan.FromSeconds(2);
    private IHost? _host;
    private IClusterClient? _client;
    private int _gateways;

    public string Region => settings.Region;

    /// <summary>The connected client, or null while the cluster has not been reached or no gateway of it is connected.</summary>
    public IClusterClient? Client => Volatile.Read(ref _gateways) > 0 ? _client : null;

    public async Task ConnectAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            var host = BuildHost();
            try
            {
                await host.StartAsync(cancellationToken);
                _host = host;
                _client = host.Services.GetRequiredService<IClusterClient>();
                logger.LogInformation("Connected to the cluster of {Region}", Region);
                return;
            }
            catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
            {
                logger.LogWarning("Cluster of {Region} not reachable yet ({Error}); retrying", Region, ex.Message);
                host.Dispose();
                await Task.Delay(RetryDelay, cancellationToken);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_host is not null)
        {
            await _host.StopAsync(TimeSpan.FromSeconds(5));
            _host.Dispose();
        }
    }

    private IHost BuildHost() => Host.CreateDefaultBuilder()
        .ConfigureLogging(logging => logging.ClearProviders())
        .ConfigureServices(services => services.AddSingleton(loggers))
        .UseOrleansClient(client =>
        {
            client.AddActivityPropagation();
            client.Services.AddSingleton<IClusterConnectionStatusObserver>(new GatewayWatch(this, logger));
            client.Configure<ClusterOptions>(cluster =>
            {
                cluster.ClusterId = settings.Region;
                cluster.ServiceId = serviceId;
            });
            // Short deadlines: a payment that cannot be decided in seconds is answered 503 and retried.
            client.Configure<ClientMessagingOptions>(messaging => messaging.ResponseTimeout = TimeSpan.FromSeconds(5));
            // A region that comes back on new addresses is found within seconds, not the default minute.
            client.Configure<GatewayOptions>(gateways => gateways.GatewayListRefreshPeriod = TimeSpan.FromSeconds(2));
            if (settings.Redis is null)
            {
                client.UseLocalhostClustering(settings.LocalGatewayPort, serviceId, settings.Region);
            }
            else
            {
                var redis = ConfigurationOptions.Parse(settings.Redis);
                client.UseRedisClustering(options => options.ConfigurationOptions = redis);
            }
        })
        .Build();

    /// <summary>Counts the client's open gateway connections, so that a cluster whose silos are all gone reads as not connected.</summary>
    private sealed class GatewayWatch(RegionCluster cluster, ILogger logger) : IClusterConnectionStatusObserver
    {
        public void NotifyGatewayCountChanged(int currentNumberOfGateways, int previousNumberOfGateways, bool connectionRecovered)
        {
            Volatile.Write(ref cluster._gateways, currentNumberOfGateways);
            if (connectionRecovered)
            {
                logger.LogInformation("Gateways of the cluster of {Region} reachable again", cluster.Region);
            }
        }

        public void NotifyClusterConnectionLost()
        {
            Volatile.Write(ref cluster._gateways, 0);
            logger.LogWarning("Lost every gateway of the cluster of {Region}", cluster.Region);
        }
    }
}
