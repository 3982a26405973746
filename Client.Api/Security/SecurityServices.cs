using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http.Timeouts;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Npgsql;
using Payments.Api.Auditing;
using Payments.Api.Problems;

namespace Payments.Api.Security;

/// <summary>API keys (configured and issued), the role policies, the admin audit, rate limits and request timeouts.</summary>
public static class SecurityServices
{
    public static IServiceCollection AddApiKeySecurity(this IServiceCollection services, IConfiguration configuration, IHostEnvironment environment)
    {
        var keys = ConfiguredKeys(configuration, environment);
        var options = SecurityOptions.From(configuration);
        services.Configure<ApiKeyOptions>(o => o.Keys = keys);
        services.Configure<SecurityOptions>(configuration.GetSection(SecurityOptions.Section));
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<ApiKeyRing>();
        services.AddSingleton<ApiKeyRefresh>();
        services.AddHostedService(sp => sp.GetRequiredService<ApiKeyRefresh>());
        services.AddSingleton<ApiKeyAdmin>();
        services.AddHealthChecks().AddCheck<ApiKeyReadiness>("api-keys", tags: ["ready"]);
        AddStores(services, configuration.GetConnectionString("Postgres"));

        services.AddAuthentication(ApiKeyAuthentication.SchemeName)
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthentication>(ApiKeyAuthentication.SchemeName, null);
        services.AddAuthorizationBuilder()
            .AddPolicy(Roles.AdminPolicy, policy => policy.RequireRole(Roles.Admin))
            .AddPolicy(Roles.TerminalPolicy, policy => policy.RequireRole(Roles.Terminal))
            .AddPolicy(Roles.AnyRolePolicy, policy => policy.RequireRole(Roles.Admin, Roles.Terminal))
            .AddPolicy(Roles.AccountReaderPolicy, policy => policy.RequireRole(Roles.Admin, Roles.Terminal)
                .RequireAssertion(context => ApiKeyIdentity.MerchantOf(context.User) is null));

        services.AddPerKeyRateLimiting(options.RateLimits);
        services.AddRequestTimeouts(timeouts => timeouts.DefaultPolicy = new RequestTimeoutPolicy
        {
            Timeout = options.RequestTimeout,
            TimeoutStatusCode = StatusCodes.Status503ServiceUnavailable,
            WriteTimeoutResponse = context => ApiProblems.TimedOut(context).ExecuteAsync(context),
        });
        return services;
    }

    private static List<ApiKeyEntry> ConfiguredKeys(IConfiguration configuration, IHostEnvironment environment)
    {
        var keys = configuration.GetSection("Payments:ApiKeys").Get<List<ApiKeyEntry>>() ?? [];
        if (!environment.IsDevelopment() && keys.Any(k => ApiKeyOptions.DevKeys.Contains(k.Key)))
        {
            throw new InvalidOperationException(
                $"Refusing to start in {environment.EnvironmentName}: the dev API keys are configured. Set real keys.");
        }

        if (keys.Any(k => string.IsNullOrWhiteSpace(k.Key) || ApiKeyAdmin.Check(k.Name, k.Role, k.Merchant).Any))
        {
            throw new InvalidOperationException(
                "Every configured API key needs a name of [A-Za-z0-9_.-], a non-empty key and the role 'admin' or 'terminal' " +
                "(a merchant scope only on a terminal key).");
        }

        if (keys.Select(k => k.Name).Distinct(StringComparer.Ordinal).Count() != keys.Count)
        {
            throw new InvalidOperationException("Configured API key names must be unique: they partition the rate limits and name the audit's actor.");
        }

        return keys;
    }

    // Without PostgreSQL (embedded mode, API tests) issued keys and the audit live in memory.
    private static void AddStores(IServiceCollection services, string? postgres)
    {
        if (string.IsNullOrWhiteSpace(postgres))
        {
            services.AddSingleton<IApiKeyStore, InMemoryApiKeyStore>();
            services.AddSingleton<InMemoryAdminAudit>();
            services.AddSingleton<IAdminAudit>(sp => sp.GetRequiredService<InMemoryAdminAudit>());
            return;
        }

        services.TryAddSingleton(_ => NpgsqlDataSource.Create(postgres));
        services.AddSingleton<IApiKeyStore, PostgresApiKeyStore>();
        services.AddSingleton<PostgresAdminAudit>();
        services.AddSingleton<IAdminAudit>(sp => sp.GetRequiredService<PostgresAdminAudit>());
    }
}
