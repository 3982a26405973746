namespace Payments.Hosting.Security;

/// <summary>
/// The configured API keys (<c>Payments:ApiKeys</c>): the bootstrap admin key of a deployment and the dev profile's
/// keys. Keys issued through the API live in the key store instead.
/// </summary>
public sealed class ApiKeyOptions
{
    /// <summary>The keys of the local dev profile: refused outside Development.</summary>
    public static readonly string[] DevKeys = ["dev-admin-key", "dev-terminal-key", "dev-network-key"];

    public List<ApiKeyEntry> Keys { get; set; } = [];
}

/// <summary>One configured API key. Only its SHA-256 is kept once loaded.</summary>
public sealed class ApiKeyEntry
{
    public string Name { get; set; } = "";

    public string Key { get; set; } = "";

    public string Role { get; set; } = "";

    /// <summary>Optional merchant scope of a terminal key.</summary>
    public string? Merchant { get; set; }
}
