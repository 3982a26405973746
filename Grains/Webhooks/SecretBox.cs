using System.Security.Cryptography;
using System.Text;

namespace Payments.Webhooks;

/// <summary>
/// Encrypts endpoint secrets for the store with AES-256-GCM under the configured key: a reader of the database alone
/// cannot sign as the bank. Stored as nonce (12 bytes) + tag (16) + ciphertext.
/// </summary>
public sealed class SecretBox(byte[] key)
{
    private const int NonceSize = 12;
    private const int TagSize = 16;

    public static bool IsKey(string base64)
    {
        var bytes = new byte[64];
        return Convert.TryFromBase64String(base64, bytes, out var length) && length == 32;
    }

    public static SecretBox FromBase64(string base64) => new(Convert.FromBase64String(base64));

    public byte[] Seal(string secret)
    {
        var plain = Encoding.UTF8.GetBytes(secret);
        var sealedBytes = new byte[NonceSize + TagSize + plain.Length];
        var nonce = sealedBytes.AsSpan(0, NonceSize);
        RandomNumberGenerator.Fill(nonce);
        using var aes = new AesGcm(key, TagSize);
        aes.Encrypt(nonce, plain, sealedBytes.AsSpan(NonceSize + TagSize), sealedBytes.AsSpan(NonceSize, TagSize));
        return sealedBytes;
    }

    /// <summary>The secret; throws when the bytes were not sealed under this key (a wrong key, a tampered row).</summary>
    public string Open(byte[] sealedBytes)
    {
        var plain = new byte[sealedBytes.Length - NonceSize - TagSize];
        using var aes = new AesGcm(key, TagSize);
        aes.Decrypt(sealedBytes.AsSpan(0, NonceSize), sealedBytes.AsSpan(NonceSize + TagSize), sealedBytes.AsSpan(NonceSize, TagSize), plain);
        return Encoding.UTF8.GetString(plain);
    }
}
