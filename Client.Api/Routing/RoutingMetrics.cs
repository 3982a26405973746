using System.Diagnostics.Metrics;

namespace Payments.Api.Routing;

/// <summary>What the router does that an operator wants to graph: calls served away from home, and retries.</summary>
public sealed class RoutingMetrics
{
    public const string MeterName = "Payments.Api.Routing";

    private readonly Counter<long> _failoverCalls;
    private readonly Counter<long> _retries;

    public RoutingMetrics(IMeterFactory meters)
    {
        var meter = meters.Create(MeterName);
        _failoverCalls = meter.CreateCounter<long>("payments.routing.failover_calls", description:
            "Calls for an account served by a cluster other than its home region's");
        _retries = meter.CreateCounter<long>("payments.routing.retries", description:
            "Calls repeated on another cluster after the first did not reach its cluster");
    }

    public void ServedAway(string home, string servedBy) =>
        _failoverCalls.Add(1, new("home_region", home), new("served_by", servedBy));

    public void Retried(string failed, string next) =>
        _retries.Add(1, new("failed_region", failed), new("retried_on", next));
}
