using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using Payments.Api.Hosting;
using Payments.Hosting.Security;

namespace Payments.Api.Security;

/// <summary>
/// Reads the active keys of the store into the <see cref="ApiKeyRing"/> every <see cref="SecurityOptions.KeyRefreshInterval"/>,
/// so a key revoked on any API instance stops working on this one within that time; on the instance that revoked it,
/// at once. When the store cannot be read the last keys stay in force (the ledger needs the same database anyway).
/// </summary>
public sealed class ApiKeyRefresh(
    IApiKeyStore store, ApiKeyRing ring, IOptions<SecurityOptions> options, TimeProvider time, ILogger<ApiKeyRefresh> logger)
    : StoreRefresh(options.Value.KeyRefreshInterval, time, logger, "API keys")
{
    protected override async Task ReadAsync(CancellationToken cancellationToken) => ring.Replace(await store.ActiveAsync(cancellationToken));
}

/// <summary>Ready only once the issued keys have been read, so a restarted API never refuses a valid key.</summary>
public sealed class ApiKeyReadiness(ApiKeyRing ring) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken) =>
        Task.FromResult(ring.Loaded ? HealthCheckResult.Healthy() : HealthCheckResult.Unhealthy("API keys not read from the store yet"));
}
