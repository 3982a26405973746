namespace Payments.Api.Routing;

/// <summary>
/// Where the routing switches live: PostgreSQL (table <c>region_routing</c>, migration 0010) when
/// <c>ConnectionStrings:Postgres</c> is set, shared by every API replica; memory otherwise. Every change is audited.
/// </summary>
public interface IRoutingSwitchStore
{
    /// <summary>The switches of every region that was ever switched.</summary>
    Task<IReadOnlyList<RoutingSwitch>> ReadAllAsync(CancellationToken cancellationToken);

    /// <summary>Stores <paramref name="change"/> with its audit row; the switch as it was before, or null.</summary>
    Task<RoutingSwitch?> SetAsync(RoutingSwitch change, CancellationToken cancellationToken);
}
