using Payments.Api.Auditing;
using Payments.Hosting.Security;

namespace Payments.Api.Security;

/// <summary>Issued keys without PostgreSQL (embedded mode, API tests): gone when the process ends.</summary>
public sealed class InMemoryApiKeyStore(IAdminAudit audit, TimeProvider time) : IApiKeyStore
{
    private readonly List<StoredApiKey> _keys = [];

    public Task<IReadOnlyList<StoredApiKey>> ActiveAsync(CancellationToken cancellationToken) =>
        Task.FromResult(Snapshot(key => key.RevokedAt is null));

    public Task<IReadOnlyList<StoredApiKey>> ListAsync(CancellationToken cancellationToken) =>
        Task.FromResult(Snapshot(_ => true));

    public async Task<bool> CreateAsync(StoredApiKey key, CancellationToken cancellationToken)
    {
        lock (_keys)
        {
            if (_keys.Exists(k => k.RevokedAt is null && k.Name == key.Name))
            {
                return false;
            }

            _keys.Add(key);
        }

        await audit.RecordAsync(new(key.CreatedBy, AdminActions.ApiKeyCreated, AdminActions.ApiKey(key.Id), null, key.View()), cancellationToken);
        return true;
    }

    public async Task<StoredApiKey?> RevokeAsync(string id, string actor, CancellationToken cancellationToken)
    {
        StoredApiKey before, after;
        lock (_keys)
        {
            var index = _keys.FindIndex(k => k.Id == id);
            if (index < 0 || _keys[index].RevokedAt is not null)
            {
                return index < 0 ? null : _keys[index];
            }

            before = _keys[index];
            after = _keys[index] = before with { RevokedAt = time.GetUtcNow(), RevokedBy = actor };
        }

        await audit.RecordAsync(new(actor, AdminActions.ApiKeyRevoked, AdminActions.ApiKey(id), before.View(), after.View()), cancellationToken);
        return after;
    }

    private IReadOnlyList<StoredApiKey> Snapshot(Func<StoredApiKey, bool> filter)
    {
        lock (_keys)
        {
            return [.. _keys.Where(filter).OrderByDescending(k => k.CreatedAt)];
        }
    }
}
