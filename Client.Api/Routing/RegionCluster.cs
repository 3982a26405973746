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

    public string Region => settings.Region;

    /// <summary>The connected client, or null while the cluster has not been reached.</summary>
    public IClusterClient? Client { get; private set; }

    public async Task ConnectAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            var host = BuildHost();
            try
            {
                await host.StartAsync(cancellationToken);
                _host = host;
                Client = host.Services.GetRequiredService<IClusterClient>();
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
            client.Configure<ClusterOptions>(cluster =>
            {
                cluster.ClusterId = settings.Region;
                cluster.ServiceId = serviceId;
            });
            // Short deadlines: a payment that cannot be decided in seconds is answered 503 and retried.
            client.Configure<ClientMessagingOptions>(messaging => messaging.ResponseTimeout = TimeSpan.FromSeconds(5));
            // A region that comes back on new addresses is found within seconds, not the default minute.
            client.Configure<GatewayOptions>(gateways => gateways.GatewayListRefreshPeriod = TimeSpan.FromSeconds(2));
            var redis = ConfigurationOptions.Parse(settings.Redis);
            client.UseRedisClustering(options => options.ConfigurationOptions = redis);
        })
        .Build();
}
