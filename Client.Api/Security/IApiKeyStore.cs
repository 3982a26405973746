using Payments.Hosting.Security;

namespace Payments.Api.Security;

/// <summary>
/// Where issued keys live: PostgreSQL when <c>ConnectionStrings:Postgres</c> is set, memory otherwise. Creation and
/// revocation write their admin audit row in the same transaction.
/// </summary>
public interface IApiKeyStore
{
    /// <summary>The keys that are not revoked, with their hashes: what authentication accepts.</summary>
    Task<IReadOnlyList<StoredApiKey>> ActiveAsync(CancellationToken cancellationToken);

    /// <summary>Every key, revoked ones included, newest first.</summary>
    Task<IReadOnlyList<StoredApiKey>> ListAsync(CancellationToken cancellationToken);

    /// <summary>Stores a new key; false when an active key already has its name.</summary>
    Task<bool> CreateAsync(StoredApiKey key, CancellationToken cancellationToken);

    /// <summary>Revokes a key by <paramref name="actor"/>; the key as it is afterwards, or null when there is no such id.</summary>
    Task<StoredApiKey?> RevokeAsync(string id, string actor, CancellationToken cancellationToken);
}
