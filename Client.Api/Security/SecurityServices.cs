namespace Payments.Api.Security;

/// <summary>API key authentication and the role policies.</summary>
public static class SecurityServices
{
    public static IServiceCollection AddApiKeySecurity(this IServiceCollection services, IConfiguration configuration, IHostEnvironment environment)
    {
        var section = configuration.GetSection("Payments:ApiKeys");
        var keys = section.Get<List<ApiKeyEntry>>() ?? [];
        if (!environment.IsDevelopment() && keys.Any(k => ApiKeyOptions.DevKeys.Contains(k.Key)))
        {
            throw new InvalidOperationException(
                $"Refusing to start in {environment.EnvironmentName}: the dev API keys are configured. Set real keys.");
        }

        if (keys.Any(k => k.Role is not (Roles.Admin or Roles.Terminal) || string.IsNullOrWhiteSpace(k.Key)))
        {
            throw new InvalidOperationException("Every API key needs a non-empty key and the role 'admin' or 'terminal'.");
        }

        services.Configure<ApiKeyOptions>(options => options.Keys = keys);
        services.AddSingleton<ApiKeyRing>();
        services.AddAuthentication(ApiKeyAuthentication.SchemeName)
            .AddScheme<Microsoft.AspNetCore.Authentication.AuthenticationSchemeOptions, ApiKeyAuthentication>(ApiKeyAuthentication.SchemeName, null);
        services.AddAuthorizationBuilder()
            .AddPolicy(Roles.AdminPolicy, policy => policy.RequireRole(Roles.Admin))
            .AddPolicy(Roles.TerminalPolicy, policy => policy.RequireRole(Roles.Terminal))
            .AddPolicy(Roles.AnyRolePolicy, policy => policy.RequireRole(Roles.Admin, Roles.Terminal));
        return services;
    }
}
