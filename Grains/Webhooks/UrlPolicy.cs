using System.Net;
using System.Net.Sockets;

namespace Payments.Webhooks;

/// <summary>
/// Which URLs a webhook may be sent to (server-side request forgery): https only, never to a loopback, private,
/// link-local (cloud metadata: 169.254.169.254), shared, multicast or unspecified address, nor to a name that resolves
/// to one. The Development environment also allows <c>http://127.0.0.1</c> and <c>http://localhost</c> and loopback
/// addresses, for a receiver on the developer's machine. Checked at registration and again at every connection.
/// </summary>
public sealed class UrlPolicy(bool development)
{
    private const int MaxUrlLength = 2048;

    /// <summary>Why the URL is refused without resolving its name, or null.</summary>
    public string? Refusal(string url)
    {
        if (url.Length > MaxUrlLength || !Uri.TryCreate(url, UriKind.Absolute, out var uri))
        {
            return $"An absolute URL of at most {MaxUrlLength} characters.";
        }

        if (uri.UserInfo.Length > 0 || uri.Fragment.Length > 0)
        {
            return "No user name, password or fragment in the URL.";
        }

        var localHttp = development && uri.Scheme == Uri.UriSchemeHttp && uri.Host is "127.0.0.1" or "localhost";
        if (uri.Scheme != Uri.UriSchemeHttps && !localHttp)
        {
            return development ? "https, or http://127.0.0.1 and http://localhost in Development." : "https only.";
        }

        if (!development && (uri.Host == "localhost" || uri.Host.EndsWith(".localhost", StringComparison.OrdinalIgnoreCase)))
        {
            return "Not a loopback name.";
        }

        return IPAddress.TryParse(uri.DnsSafeHost, out var address) && !IsAllowed(address)
            ? "Not a loopback, private, link-local or metadata address."
            : null;
    }

    /// <summary>Why the URL is refused, its name resolved: every address it resolves to must be allowed.</summary>
    public async Task<string?> RefusalAsync(string url, CancellationToken cancellationToken)
    {
        if (Refusal(url) is { } refusal)
        {
            return refusal;
        }

        var host = new Uri(url).DnsSafeHost;
        try
        {
            var addresses = await ResolveAsync(host, cancellationToken);
            return addresses.All(IsAllowed) ? null : $"'{host}' resolves to a loopback, private, link-local or metadata address.";
        }
        catch (SocketException)
        {
            return $"'{host}' does not resolve.";
        }
    }

    /// <summary>The addresses a connection to <paramref name="host"/> may use; throws when any of them is refused.</summary>
    public async Task<IPAddress[]> AllowedAddressesAsync(string host, CancellationToken cancellationToken)
    {
        var addresses = await ResolveAsync(host, cancellationToken);
        return addresses.Length > 0 && addresses.All(IsAllowed)
            ? addresses
            : throw new HttpRequestException($"Refused: '{host}' resolves to an address webhooks may not reach.");
    }

    public bool IsAllowed(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        if (IPAddress.IsLoopback(address))
        {
            return development;
        }

        return address.AddressFamily switch
        {
            AddressFamily.InterNetwork => IsPublicV4(address.GetAddressBytes()),
            AddressFamily.InterNetworkV6 => IsPublicV6(address),
            _ => false,
        };
    }

    private static bool IsPublicV4(byte[] b) => !(
        b[0] is 0 or 10 or 127 or >= 224                // this network, private, loopback, multicast and reserved
        || (b[0] == 100 && b[1] is >= 64 and < 128)      // shared address space (carrier NAT; some clouds' metadata)
        || (b[0] == 169 && b[1] == 254)                  // link-local, where cloud metadata lives
        || (b[0] == 172 && b[1] is >= 16 and < 32)       // private
        || (b[0] == 192 && b[1] == 168)                  // private
        || (b[0] == 192 && b[1] == 0 && b[2] == 0)       // IETF protocol assignments
        || (b[0] == 198 && b[1] is 18 or 19));           // benchmarking

    private static bool IsPublicV6(IPAddress address)
    {
        var b = address.GetAddressBytes();
        return !(address.Equals(IPAddress.IPv6Any) || address.IsIPv6LinkLocal || address.IsIPv6SiteLocal || address.IsIPv6Multicast
            || (b[0] & 0xFE) == 0xFC);                   // unique local (fc00::/7), where fd00:ec2::254 (metadata) lives
    }

    private static async Task<IPAddress[]> ResolveAsync(string host, CancellationToken cancellationToken) =>
        IPAddress.TryParse(host, out var literal) ? [literal] : await Dns.GetHostAddressesAsync(host, cancellationToken);
}
