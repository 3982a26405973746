using System.Security.Cryptography;
using System.Text;

namespace Payments.Api.Security;

/// <summary>The configured API keys (<c>Payments:ApiKeys</c>): each a key and its role.</summary>
public sealed class ApiKeyOptions
{
    /// <summary>The keys of the local dev profile: refused outside Development.</summary>
    public static readonly string[] DevKeys = ["dev-admin-key", "dev-terminal-key"];

    public List<ApiKeyEntry> Keys { get; set; } = [];
}

/// <summary>One API key. Only its SHA-256 is kept once loaded.</summary>
public sealed class ApiKeyEntry
{
    public string Name { get; set; } = "";

    public string Key { get; set; } = "";

    public string Role { get; set; } = "";

    public static byte[] Hash(string key) => SHA256.HashData(Encoding.UTF8.GetBytes(key));
}
