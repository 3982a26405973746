namespace Payments.Hosting.Security;

/// <summary>A key issued by the API, as the key store holds it: never the key itself, only its SHA-256.</summary>
public sealed record StoredApiKey(
    string Id,
    string Name,
    string Role,
    string? Merchant,
    byte[] Hash,
    DateTimeOffset CreatedAt,
    string CreatedBy,
    DateTimeOffset? RevokedAt,
    string? RevokedBy)
{
    public ApiKeyIdentity Identity => new(Id, Name, Role, Merchant);

    /// <summary>What the admin API shows and the audit records: everything but the hash.</summary>
    public ApiKeyView View() => new(Id, Name, Role, Merchant, CreatedAt, CreatedBy, RevokedAt, RevokedBy);
}

/// <summary>An issued key without its secret or hash.</summary>
public sealed record ApiKeyView(
    string Id,
    string Name,
    string Role,
    string? Merchant,
    DateTimeOffset CreatedAt,
    string CreatedBy,
    DateTimeOffset? RevokedAt,
    string? RevokedBy);
