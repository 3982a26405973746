using System.Security.Claims;
using System.Security.Cryptography;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;
using Payments.Api.Problems;

namespace Payments.Api.Security;

/// <summary>
/// <c>Authorization: Bearer &lt;api key&gt;</c>. Keys are compared by their SHA-256 in constant time; a missing or
/// unknown key is 401 <c>unauthenticated</c>, a key of the wrong role 403 <c>forbidden</c>.
/// </summary>
public sealed class ApiKeyAuthentication(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    ApiKeyRing keys) : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "ApiKey";

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var header = Request.Headers.Authorization.ToString();
        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return Task.FromResult(AuthenticateResult.NoResult());
        }

        if (keys.Find(header["Bearer ".Length..].Trim()) is not { } key)
        {
            return Task.FromResult(AuthenticateResult.Fail("Unknown API key."));
        }

        var identity = new ClaimsIdentity(
            [new Claim(ClaimTypes.Name, key.Name), new Claim(ClaimTypes.Role, key.Role)], SchemeName);
        return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName)));
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties) =>
        ApiProblems.Create(StatusCodes.Status401Unauthorized, ProblemCodes.Unauthenticated, "Authentication required.",
            "Send a valid API key as 'Authorization: Bearer <key>'.").ExecuteAsync(Context);

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties) =>
        ApiProblems.Create(StatusCodes.Status403Forbidden, ProblemCodes.Forbidden, "Forbidden.",
            "This API key's role may not call this endpoint.").ExecuteAsync(Context);
}

/// <summary>The known keys, by hash.</summary>
public sealed class ApiKeyRing(IOptions<ApiKeyOptions> options)
{
    private readonly List<(byte[] Hash, ApiKeyEntry Entry)> _keys =
        options.Value.Keys.ConvertAll(entry => (ApiKeyEntry.Hash(entry.Key), entry));

    public ApiKeyEntry? Find(string presented)
    {
        var hash = ApiKeyEntry.Hash(presented);
        ApiKeyEntry? found = null;
        // Visit every key so that the time taken does not tell which one came close.
        foreach (var (candidate, entry) in _keys)
        {
            if (CryptographicOperations.FixedTimeEquals(candidate, hash))
            {
                found = entry;
            }
        }

        return found;
    }
}
