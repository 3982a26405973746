using System.Collections.Frozen;
using System.Security.Cryptography;
using Microsoft.Extensions.Options;

namespace Payments.Hosting.Security;

/// <summary>
/// The keys a host accepts: the configured ones (bootstrap and dev) and, on the API, the issued ones of the key store
/// as its key refresh last loaded them (the silos know only the configured ones). Every comparison is of SHA-256
/// digests in constant time.
/// </summary>
public sealed class ApiKeyRing(IOptions<ApiKeyOptions> options)
{
    private static readonly byte[] NoMatch = new byte[32];

    private readonly List<(byte[] Hash, ApiKeyIdentity Identity)> _configured = options.Value.Keys.ConvertAll(entry =>
        (ApiKeyFormat.Hash(entry.Key), new ApiKeyIdentity(null, entry.Name, entry.Role, entry.Merchant)));

    private FrozenDictionary<string, StoredApiKey> _issued = FrozenDictionary<string, StoredApiKey>.Empty;

    /// <summary>True once the key store has been read: until then issued keys are not known (readiness waits for it).</summary>
    public bool Loaded { get; private set; }

    /// <summary>The names of the configured keys: an issued key may not take one.</summary>
    public IEnumerable<string> ConfiguredNames => _configured.Select(k => k.Identity.Name);

    public ApiKeyIdentity? Find(string presented)
    {
        var hash = ApiKeyFormat.Hash(presented);
        ApiKeyIdentity? found = null;
        // An issued key is found by its public id, then its digest is compared: the time taken tells at most
        // whether that id exists, never how much of the secret matched.
        if (ApiKeyFormat.TryReadId(presented, out var id))
        {
            var issued = Volatile.Read(ref _issued).GetValueOrDefault(id);
            if (CryptographicOperations.FixedTimeEquals(issued?.Hash ?? NoMatch, hash))
            {
                found = issued!.Identity;
            }
        }

        // Visit every configured key so that the time taken does not tell which one came close.
        foreach (var (candidate, identity) in _configured)
        {
            if (CryptographicOperations.FixedTimeEquals(candidate, hash))
            {
                found = identity;
            }
        }

        return found;
    }

    /// <summary>Replaces the issued keys with the store's active ones.</summary>
    public void Replace(IReadOnlyList<StoredApiKey> active)
    {
        Volatile.Write(ref _issued, active.ToFrozenDictionary(k => k.Id, StringComparer.Ordinal));
        Loaded = true;
    }
}
