using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Payments.Hosting.Security;

/// <summary>
/// API key checking as every host does it: the configured keys (<c>Payments:ApiKeys</c>), the bearer scheme and the
/// admin policy. The API adds its issued keys, its other role policies and its limits on top.
/// </summary>
public static class ApiKeyAuthenticationServices
{
    public const string Section = "Payments:ApiKeys";

    /// <summary>
    /// The configured keys, refused at start when unusable: dev keys outside Development, an empty key or name, an
    /// unknown role, a merchant scope on anything but a terminal key, two keys of one name (the name is the
    /// rate-limit partition and the audit's actor).
    /// </summary>
    public static List<ApiKeyEntry> ConfiguredKeys(IConfiguration configuration, IHostEnvironment environment)
    {
        var keys = configuration.GetSection(Section).Get<List<ApiKeyEntry>>() ?? [];
        if (!environment.IsDevelopment() && keys.Any(k => ApiKeyOptions.DevKeys.Contains(k.Key)))
        {
            throw new InvalidOperationException(
                $"Refusing to start in {environment.EnvironmentName}: the dev API keys are configured. Set real keys.");
        }

        if (keys.Any(k => string.IsNullOrWhiteSpace(k.Key) || string.IsNullOrWhiteSpace(k.Name)
            || !Roles.IsKnown(k.Role) || (k.Merchant is not null && k.Role != Roles.Terminal)))
        {
            throw new InvalidOperationException(
                "Every configured API key needs a name, a non-empty key and the role 'admin', 'terminal' or 'network' " +
                "(a merchant scope only on a terminal key).");
        }

        if (keys.Select(k => k.Name).Distinct(StringComparer.Ordinal).Count() != keys.Count)
        {
            throw new InvalidOperationException("Configured API key names must be unique: they partition the rate limits and name the audit's actor.");
        }

        return keys;
    }

    /// <summary>The bearer scheme over <paramref name="keys"/> (and, on the API, its issued keys) and <see cref="Roles.AdminPolicy"/>.</summary>
    public static AuthenticationBuilder AddApiKeyAuthentication(this IServiceCollection services, List<ApiKeyEntry> keys)
    {
        services.Configure<ApiKeyOptions>(options => options.Keys = keys);
        services.AddSingleton<ApiKeyRing>();
        services.AddAuthorizationBuilder().AddPolicy(Roles.AdminPolicy, policy => policy.RequireRole(Roles.Admin));
        return services.AddAuthentication(ApiKeyAuthentication.SchemeName)
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthentication>(ApiKeyAuthentication.SchemeName, null);
    }
}
