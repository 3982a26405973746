namespace Payments.Api.Auditing;

/// <summary>
/// The audit trail without PostgreSQL (embedded mode, API tests): the latest entries in memory, each also logged.
/// </summary>
public sealed class InMemoryAdminAudit(ILogger<InMemoryAdminAudit> logger) : IAdminAudit
{
    private const int Capacity = 10_000;
    private readonly Queue<AdminAuditEntry> _entries = new();

    public IReadOnlyList<AdminAuditEntry> Entries
    {
        get
        {
            lock (_entries)
            {
                return [.. _entries];
            }
        }
    }

    public Task RecordAsync(AdminAuditEntry entry, CancellationToken cancellationToken)
    {
        lock (_entries)
        {
            if (_entries.Count == Capacity)
            {
                _entries.Dequeue();
            }

            _entries.Enqueue(entry);
        }

        logger.LogInformation("Audit: {Actor} {Action} {Target}", entry.Actor, entry.Action, entry.Target);
        return Task.CompletedTask;
    }
}
