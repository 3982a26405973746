using System.Diagnostics.Metrics;
using Payments.Regions;

namespace Payments.Webhooks;

/// <summary>Webhook deliveries on the "Payments.Webhooks" meter (docs/observability.md).</summary>
public sealed class WebhookMetrics : IDisposable
{
    public const string MeterName = "Payments.Webhooks";

    /// <summary>Lag buckets, 10 ms to 3 days: a healthy delivery takes well under a second, a retried one hours.</summary>
    private static readonly InstrumentAdvice<double> LagSeconds = new()
    {
        HistogramBucketBoundaries = [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 3600, 86400, 259200],
    };

    private readonly Meter _meter = new(MeterName);
    private readonly KeyValuePair<string, object?> _region;
    private readonly Histogram<double> _lag;
    private readonly Counter<long> _delivered;
    private readonly Counter<long> _failures;
    private readonly Counter<long> _disabled;
    private Func<IEnumerable<(string EndpointId, int Queued)>> _queues = () => [];

    public WebhookMetrics(SiloRegion silo)
    {
        _region = new("region", silo.Name);
        _lag = _meter.CreateHistogram("payments.webhooks.delivery.lag", "s",
            "From an event's ledger commit to the 2xx of its endpoint, retries included", tags: null, LagSeconds);
        _delivered = _meter.CreateCounter<long>("payments.webhooks.deliveries", "{event}", "Events an endpoint answered 2xx");
        _failures = _meter.CreateCounter<long>("payments.webhooks.failures", "{attempt}",
            "Delivery attempts that failed: no 2xx within 10 s, a refused address, a connection error");
        _disabled = _meter.CreateCounter<long>("payments.webhooks.endpoints.disabled", "{endpoint}",
            "Endpoints disabled after an event failed for 3 days");
        _meter.CreateObservableGauge("payments.webhooks.queue.depth",
            () => _queues().Select(q => new Measurement<int>(q.Queued, _region, new("endpoint", q.EndpointId))),
            "{event}", "Events read for an endpoint and not yet delivered or parked, per endpoint this silo delivers");
    }

    /// <summary>Where the gauge reads the queue of each endpoint this silo delivers.</summary>
    public void ObserveQueues(Func<IEnumerable<(string EndpointId, int Queued)>> queues) => _queues = queues;

    public void Delivered(TimeSpan lag)
    {
        _delivered.Add(1, _region);
        _lag.Record(Math.Max(0, lag.TotalSeconds), _region);
    }

    public void AttemptFailed() => _failures.Add(1, _region);

    public void EndpointDisabled() => _disabled.Add(1, _region);

    public void Dispose() => _meter.Dispose();
}
