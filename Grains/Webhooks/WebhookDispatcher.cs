using System.Collections.Concurrent;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Payments.Regions;

namespace Payments.Webhooks;

/// <summary>
/// Runs in every silo of both regions: takes the lease of each enabled endpoint that no one holds (or whose owner
/// stopped renewing: a killed silo, a lost region) and runs its <see cref="EndpointWorker"/>. The lease in the shared
/// store, not cluster membership, decides the owner, so two clusters that cannot see each other (a split) still
/// never deliver one endpoint twice at once.
/// </summary>
public sealed class WebhookDispatcher(WebhookDelivery delivery, SiloRegion region, ILoggerFactory loggers) : BackgroundService
{
    private readonly ConcurrentDictionary<string, EndpointWorker> _workers = new(StringComparer.Ordinal);
    // The process id lets an operator (and the crash test) tell which silo process delivers an endpoint.
    private readonly string _owner = $"{region.Name}/{Environment.MachineName}/{Environment.ProcessId}/{Guid.NewGuid():N}";
    private readonly ILogger _logger = loggers.CreateLogger<WebhookDispatcher>();

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        delivery.Metrics.ObserveQueues(() => _workers.Values.Select(w => (w.EndpointId, w.Queued)));
        var settings = delivery.Options;
        var store = delivery.Store;
        var running = new List<Task>();
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                foreach (var endpointId in await store.ListUnownedAsync(stoppingToken))
                {
                    if (!_workers.ContainsKey(endpointId)
                        && await store.TryAcquireAsync(endpointId, _owner, settings.LeaseDuration, stoppingToken) is { } lease)
                    {
                        var worker = new EndpointWorker(lease, delivery, loggers.CreateLogger<EndpointWorker>());
                        _workers[endpointId] = worker;
                        running.Add(RunAsync(worker, stoppingToken));
                    }
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                _logger.LogWarning("Webhook dispatcher: endpoints not read ({Error}); trying again", ex.Message);
            }

            running.RemoveAll(task => task.IsCompleted);
            try
            {
                await Task.Delay(settings.LeaseDuration / 5, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }

        await Task.WhenAll(running);
    }

    private async Task RunAsync(EndpointWorker worker, CancellationToken stoppingToken)
    {
        try
        {
            await Task.Run(() => worker.RunAsync(stoppingToken), CancellationToken.None);
        }
        catch (Exception ex)
        {
            _logger.LogError(ex, "Webhook endpoint {EndpointId}: worker failed", worker.EndpointId);
        }
        finally
        {
            _workers.TryRemove(worker.EndpointId, out _);
        }
    }
}
