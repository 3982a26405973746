namespace Payments.Api.Routing;

/// <summary>The region this API runs in: its local cluster.</summary>
public sealed record ApiRegion(string Name);
