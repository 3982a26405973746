using Payments.Api.Auditing;

namespace Payments.Api.Routing;

/// <summary>Routing switches without PostgreSQL (the quick look, API tests): one API, gone when the process ends.</summary>
public sealed class InMemoryRoutingSwitchStore(IAdminAudit audit) : IRoutingSwitchStore
{
    private readonly Dictionary<string, RoutingSwitch> _switches = new(StringComparer.Ordinal);

    public Task<IReadOnlyList<RoutingSwitch>> ReadAllAsync(CancellationToken cancellationToken)
    {
        lock (_switches)
        {
            return Task.FromResult<IReadOnlyList<RoutingSwitch>>([.. _switches.Values]);
        }
    }

    public async Task<RoutingSwitch?> SetAsync(RoutingSwitch change, CancellationToken cancellationToken)
    {
        RoutingSwitch? before;
        lock (_switches)
        {
            before = _switches.GetValueOrDefault(change.Region);
            _switches[change.Region] = change;
        }

        await audit.RecordAsync(RoutingAudit.Entry(before, change), cancellationToken);
        return before;
    }
}

/// <summary>How a change of a routing switch is audited, by either store.</summary>
public static class RoutingAudit
{
    public static AdminAuditEntry Entry(RoutingSwitch? before, RoutingSwitch after) =>
        new(after.SetBy, AdminActions.RegionRoutingUpdated, AdminActions.Region(after.Region), before, after);
}
