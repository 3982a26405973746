using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;

namespace Payments.Hosting.Security;

/// <summary>
/// Keys issued by this API: <c>pk_&lt;id&gt;_&lt;secret&gt;</c>, a public 16-hex-digit id (to find the key and to revoke
/// it) and 256 random bits. Only the SHA-256 of the whole key is stored; see docs/adr/0009.
/// </summary>
public static class ApiKeyFormat
{
    public const int IdLength = 16;
    private const string Prefix = "pk_";
    private const int SecretBytes = 32;

    /// <summary>A new key and its id; the key is shown once and never stored.</summary>
    public static (string Id, string Key) Generate()
    {
        var id = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(IdLength / 2));
        return (id, $"{Prefix}{id}_{Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(SecretBytes))}");
    }

    /// <summary>The id of a key in the issued format; false for anything else (a configured key).</summary>
    public static bool TryReadId(string presented, out string id)
    {
        var issued = presented.Length > Prefix.Length + IdLength + 1
            && presented.StartsWith(Prefix, StringComparison.Ordinal)
            && presented[Prefix.Length + IdLength] == '_';
        id = issued ? presented.Substring(Prefix.Length, IdLength) : "";
        return issued && IsId(id);
    }

    /// <summary>16 lowercase hexadecimal digits.</summary>
    public static bool IsId(string? id) => id is { Length: IdLength } && id.All(char.IsAsciiHexDigitLower);

    public static byte[] Hash(string key) => SHA256.HashData(Encoding.UTF8.GetBytes(key));
}
