using System.Security.Claims;

namespace Payments.Hosting.Security;

/// <summary>Who presented a valid key: its name (the actor in the audit, the rate-limit partition), role and scope.</summary>
/// <param name="Id">The id of a key issued by the API; null for a configured key.</param>
/// <param name="Merchant">A terminal key's merchant scope: it may only submit payments of this merchant.</param>
public sealed record ApiKeyIdentity(string? Id, string Name, string Role, string? Merchant)
{
    public const string MerchantClaim = "payments:merchant";
    public const string KeyIdClaim = "payments:api_key_id";

    public ClaimsPrincipal ToPrincipal(string scheme)
    {
        var claims = new List<Claim> { new(ClaimTypes.Name, Name), new(ClaimTypes.Role, Role) };
        if (Merchant is not null)
        {
            claims.Add(new Claim(MerchantClaim, Merchant));
        }

        if (Id is not null)
        {
            claims.Add(new Claim(KeyIdClaim, Id));
        }

        return new ClaimsPrincipal(new ClaimsIdentity(claims, scheme));
    }

    /// <summary>The key name of an authenticated request: the actor of what it changes.</summary>
    public static string NameOf(ClaimsPrincipal user) =>
        user.Identity?.Name ?? throw new InvalidOperationException("The request is not authenticated.");

    /// <summary>The merchant a terminal key is scoped to, or null when it may act for any merchant.</summary>
    public static string? MerchantOf(ClaimsPrincipal user) => user.FindFirst(MerchantClaim)?.Value;
}
