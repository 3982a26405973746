namespace Payments.Api.Routing;

/// <summary>The operator's routing switch of one region, as last set: forced into failover or released, by whom and when.</summary>
public sealed record RoutingSwitch(string Region, bool ForceFailover, string SetBy, DateTimeOffset SetAt);
