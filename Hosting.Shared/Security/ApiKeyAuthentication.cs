using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Payments.Hosting.Problems;

namespace Payments.Hosting.Security;

/// <summary>
/// <c>Authorization: Bearer &lt;api key&gt;</c>, looked up in the <see cref="ApiKeyRing"/>. A missing, repeated or
/// unknown key is 401 <c>unauthenticated</c>, a key of the wrong role 403 <c>forbidden</c>.
/// </summary>
public sealed class ApiKeyAuthentication(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    ApiKeyRing keys) : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "ApiKey";
    private const string Bearer = "Bearer ";

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var headers = Request.Headers.Authorization;
        if (headers.Count == 0)
        {
            return Task.FromResult(AuthenticateResult.NoResult());
        }

        if (headers.Count > 1 || headers[0] is not { } header || !header.StartsWith(Bearer, StringComparison.OrdinalIgnoreCase))
        {
            return Task.FromResult(AuthenticateResult.Fail("Send one 'Authorization: Bearer <key>' header."));
        }

        return Task.FromResult(keys.Find(header[Bearer.Length..].Trim()) is { } key
            ? AuthenticateResult.Success(new AuthenticationTicket(key.ToPrincipal(SchemeName), SchemeName))
            : AuthenticateResult.Fail("Unknown API key."));
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties) =>
        CodedProblem.Create(StatusCodes.Status401Unauthorized, ProblemCodes.Unauthenticated, "Authentication required.",
            "Send a valid API key as 'Authorization: Bearer <key>'.").ExecuteAsync(Context);

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties) =>
        CodedProblem.Create(StatusCodes.Status403Forbidden, ProblemCodes.Forbidden, "Forbidden.",
            "This API key's role or scope may not call this endpoint.").ExecuteAsync(Context);
}
