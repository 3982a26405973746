using Microsoft.AspNetCore.Http.Timeouts;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Npgsql;
using Payments.Api.Auditing;
using Payments.Api.Problems;
using Payments.Hosting.Security;

namespace Payments.Api.Security;

/// <summary>API keys (configured and issued), the role policies, the admin audit, rate limits and request timeouts.</summary>
public static class SecurityServices
{
    public static IServiceCollection AddApiKeySecurity(this IServiceCollection services, IConfiguration configuration, IHostEnvironment environment)
    {
        var keys = ConfiguredKeys(configuration, environment);
        var options = SecurityOptions.From(configuration);
        services.Configure<SecurityOptions>(configuration.GetSection(SecurityOptions.Section));
        services.TryAddSingleton(TimeProvider.System);
        services.AddApiKeyAuthentication(keys);
        services.AddSingleton<ApiKeyRefresh>();
        services.AddHostedService(sp => sp.GetRequiredService<ApiKeyRefresh>());
        services.AddSingleton<ApiKeyAdmin>();
        services.AddHealthChecks().AddCheck<ApiKeyReadiness>("api-keys", tags: ["ready"]);
        AddStores(services, configuration.GetConnectionString("Postgres"));

        services.AddAuthorizationBuilder()
            .AddPolicy(Roles.TerminalPolicy, policy => policy.RequireRole(Roles.Terminal))
            .AddPolicy(Roles.NetworkPolicy, policy => policy.RequireRole(Roles.Network))
            .AddPolicy(Roles.TerminalOrNetworkPolicy, policy => policy.RequireRole(Roles.Terminal, Roles.Network))
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

    // The configured keys as every host checks them, and the name and scope formats an issued key must have too.
    private static List<ApiKeyEntry> ConfiguredKeys(IConfiguration configuration, IHostEnvironment environment)
    {
        var keys = ApiKeyAuthenticationServices.ConfiguredKeys(configuration, environment);
        if (keys.Any(k => ApiKeyAdmin.Check(k.Name, k.Role, k.Merchant).Any))
        {
            throw new InvalidOperationException(
                "Every configured API key needs a name of [A-Za-z0-9_.-] (1 to 64 characters) and, if scoped, a merchant of " +
                "1 to 100 characters without control characters.");
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
