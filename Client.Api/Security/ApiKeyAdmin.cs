using Payments.Api.Validation;
using Payments.Hosting.Security;

namespace Payments.Api.Security;

/// <summary>Issues, lists and revokes API keys; used by the admin endpoints and by the <c>keys</c> command.</summary>
public sealed class ApiKeyAdmin(IApiKeyStore store, ApiKeyRing ring, ApiKeyRefresh refresh, TimeProvider time)
{
    /// <summary>Field errors of a key request, or null when it may be issued.</summary>
    public static Errors Check(string? name, string? role, string? merchant) => new Errors()
        .Check(FieldRules.IsKeyName(name), "name", "1 to 64 characters of [A-Za-z0-9_.-].")
        .Check(Roles.IsKnown(role), "role", "'admin', 'terminal' or 'network'.")
        .Check(merchant is null || FieldRules.IsText(merchant, FieldRules.MaxMerchantLength), "merchant", "1 to 100 characters, no control characters.")
        .Check(merchant is null || role is not (Roles.Admin or Roles.Network), "merchant", "Only a terminal key can be scoped to a merchant.");

    /// <summary>Issues a key (already checked with <see cref="Check"/>); null when the name is taken.</summary>
    public async Task<(StoredApiKey Key, string Secret)?> CreateAsync(
        string name, string role, string? merchant, string actor, CancellationToken cancellationToken)
    {
        if (ring.ConfiguredNames.Contains(name, StringComparer.Ordinal))
        {
            return null;
        }

        var (id, secret) = ApiKeyFormat.Generate();
        var now = time.GetUtcNow();
        // PostgreSQL keeps microseconds: the answer shows the time that the list will show.
        var key = new StoredApiKey(id, name, role, merchant, ApiKeyFormat.Hash(secret),
            now.AddTicks(-(now.Ticks % TimeSpan.TicksPerMicrosecond)), actor, null, null);
        if (!await store.CreateAsync(key, cancellationToken))
        {
            return null;
        }

        await refresh.RefreshNowAsync(cancellationToken);
        return (key, secret);
    }

    public Task<IReadOnlyList<StoredApiKey>> ListAsync(CancellationToken cancellationToken) => store.ListAsync(cancellationToken);

    /// <summary>Revokes a key (a second revocation changes nothing); null when there is no such key.</summary>
    public async Task<StoredApiKey?> RevokeAsync(string id, string actor, CancellationToken cancellationToken)
    {
        var revoked = await store.RevokeAsync(id, actor, cancellationToken);
        await refresh.RefreshNowAsync(cancellationToken);
        return revoked;
    }
}
