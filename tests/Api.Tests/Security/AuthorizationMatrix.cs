using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Payments.Hosting.Security;

namespace Payments.Api.Tests;

/// <summary>The callers of the matrix: one key of each kind the API must tell apart.</summary>
public sealed record MatrixKeys(
    string Admin, string Terminal, string ScopedTerminal, string Network, string RevokedAdmin, string RevokedTerminal);

/// <summary>
/// Every endpoint the API maps × every kind of caller. The endpoints come from the routing table, so one added
/// later is checked too: it must name a policy of <see cref="Roles"/> or be one of the few public ones.
/// </summary>
public static partial class AuthorizationMatrix
{
    private static readonly string[] PublicEndpoints = ["GET /health/live", "GET /health/ready", "GET /openapi/{documentName}.json"];

    private enum Caller
    {
        Anonymous,
        UnknownKey,
        RevokedAdmin,
        RevokedTerminal,
        Admin,
        Terminal,
        ScopedTerminal,
        Network,
    }

    /// <summary>Which callers each policy lets through.</summary>
    private static readonly Dictionary<string, Caller[]> Allowed = new()
    {
        [Roles.AdminPolicy] = [Caller.Admin],
        [Roles.TerminalPolicy] = [Caller.Terminal, Caller.ScopedTerminal],
        [Roles.AnyRolePolicy] = [Caller.Admin, Caller.Terminal, Caller.ScopedTerminal],
        [Roles.AccountReaderPolicy] = [Caller.Admin, Caller.Terminal],
        [Roles.NetworkPolicy] = [Caller.Network],
        [Roles.TerminalOrNetworkPolicy] = [Caller.Terminal, Caller.ScopedTerminal, Caller.Network],
    };

    /// <summary>The endpoints as "METHOD /pattern", with the policy each names (null for none).</summary>
    public static List<(string Method, string Pattern, string? Policy)> Endpoints(IServiceProvider services) =>
        [.. services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .SelectMany(endpoint => (endpoint.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? ["GET"])
                .Select(method => (method, "/" + endpoint.RoutePattern.RawText!.TrimStart('/'),
                    endpoint.Metadata.GetOrderedMetadata<IAuthorizeData>().Select(a => a.Policy).LastOrDefault(p => p is not null))))];

    /// <summary>Runs the matrix; returns one line per answer that differs from what the policy says, empty when all agree.</summary>
    public static async Task<List<string>> RunAsync(IServiceProvider services, Func<string?, HttpClient> client, MatrixKeys keys, string accountId)
    {
        var failures = new List<string>();
        var endpoints = Endpoints(services);
        Assert.Contains(("POST", "/v1/accounts/{accountId}/payments", Roles.TerminalPolicy), endpoints);
        foreach (var (method, pattern, policy) in endpoints)
        {
            var name = $"{method} {pattern}";
            var isPublic = PublicEndpoints.Contains(name);
            if (policy is null && !isPublic)
            {
                failures.Add($"{name}: names no authorization policy and is not public");
                continue;
            }

            if (policy is not null && !Allowed.ContainsKey(policy))
            {
                failures.Add($"{name}: policy '{policy}' is not in the matrix");
                continue;
            }

            foreach (var caller in Enum.GetValues<Caller>())
            {
                using var request = Request(method, pattern, accountId);
                var response = await client(KeyOf(caller, keys)).SendAsync(request);
                var expected = isPublic ? "not 401/403" : Expected(caller, Allowed[policy!]);
                if (!Matches(expected, response.StatusCode) || ((int)response.StatusCode >= 500 && !Unavailable(pattern, response.StatusCode)))
                {
                    failures.Add($"{name} as {caller}: {(int)response.StatusCode}, expected {expected}");
                }
            }
        }

        return failures;
    }

    /// <summary>The webhook endpoints answer 503 unavailable where the silo has no webhook store (the API tests' cluster).</summary>
    private static bool Unavailable(string pattern, HttpStatusCode status) =>
        status == HttpStatusCode.ServiceUnavailable && pattern.StartsWith("/v1/webhook-endpoints", StringComparison.Ordinal);

    private static string Expected(Caller caller, Caller[] allowed) => caller switch
    {
        Caller.Anonymous or Caller.UnknownKey or Caller.RevokedAdmin or Caller.RevokedTerminal => "401",
        _ when allowed.Contains(caller) => "not 401/403",
        _ => "403",
    };

    private static bool Matches(string expected, HttpStatusCode status) => expected switch
    {
        "401" => status == HttpStatusCode.Unauthorized,
        "403" => status == HttpStatusCode.Forbidden,
        _ => status is not (HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden),
    };

    private static string? KeyOf(Caller caller, MatrixKeys keys) => caller switch
    {
        Caller.Anonymous => null,
        Caller.UnknownKey => "pk_0123456789abcdef_not-a-key",
        Caller.RevokedAdmin => keys.RevokedAdmin,
        Caller.RevokedTerminal => keys.RevokedTerminal,
        Caller.Admin => keys.Admin,
        Caller.Terminal => keys.Terminal,
        Caller.ScopedTerminal => keys.ScopedTerminal,
        Caller.Network => keys.Network,
        _ => throw new ArgumentOutOfRangeException(nameof(caller), caller, "A caller without a key."),
    };

    // Route values that pass the formats, so that an allowed caller reaches the handler; bodies are "{}", which
    // every writing endpoint refuses as invalid: the matrix changes nothing.
    private static HttpRequestMessage Request(string method, string pattern, string accountId)
    {
        var path = RouteParameter().Replace(pattern, match => match.Groups["name"].Value switch
        {
            "accountId" => accountId,
            "id" => "0000000000000000",
            "documentName" => "v1",
            "region" => "region-a",
            _ => "p-1",
        });
        var request = new HttpRequestMessage(new HttpMethod(method), $"{path}?accountId={accountId}");
        if (method is "POST" or "PUT" or "PATCH")
        {
            request.Content = new StringContent("{}", Encoding.UTF8, "application/json");
        }

        return request;
    }

    [GeneratedRegex(@"\{(?<name>[A-Za-z]+)[^}]*\}")]
    private static partial Regex RouteParameter();
}
