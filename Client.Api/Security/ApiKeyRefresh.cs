using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using Payments.Hosting.Security;

namespace Payments.Api.Security;

/// <summary>
/// Reads the active keys of the store into the <see cref="ApiKeyRing"/> every <see cref="SecurityOptions.KeyRefreshInterval"/>,
/// so a key revoked on any API instance stops working on this one within that time; on the instance that revoked it,
/// at once. When the store cannot be read the last keys stay in force (the ledger needs the same database anyway).
/// </summary>
public sealed class ApiKeyRefresh(
    IApiKeyStore store, ApiKeyRing ring, IOptions<SecurityOptions> options, ILogger<ApiKeyRefresh> logger) : BackgroundService
{
    private static readonly TimeSpan StartupWait = TimeSpan.FromSeconds(5);

    // Serialises reads: a slow read that began before a revocation must not overwrite a later one.
    private readonly SemaphoreSlim _reading = new(1, 1);

    public async Task RefreshNowAsync(CancellationToken cancellationToken)
    {
        await _reading.WaitAsync(cancellationToken);
        try
        {
            ring.Replace(await store.ActiveAsync(cancellationToken));
        }
        finally
        {
            _reading.Release();
        }
    }

    /// <summary>Reads the keys once before the API serves, waiting a few seconds at most for the store.</summary>
    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        using var bounded = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        bounded.CancelAfter(StartupWait);
        try
        {
            await RefreshNowAsync(bounded.Token);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            logger.LogWarning(ex, "API keys not read at start; retrying every {Interval}", options.Value.KeyRefreshInterval);
        }

        await base.StartAsync(cancellationToken);
    }

    public override void Dispose()
    {
        _reading.Dispose();
        base.Dispose();
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.KeyRefreshInterval);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await RefreshNowAsync(stoppingToken);
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                logger.LogWarning(ex, "API keys not refreshed; the keys read last stay in force");
            }
        }
    }
}

/// <summary>Ready only once the issued keys have been read, so a restarted API never refuses a valid key.</summary>
public sealed class ApiKeyReadiness(ApiKeyRing ring) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken) =>
        Task.FromResult(ring.Loaded ? HealthCheckResult.Healthy() : HealthCheckResult.Unhealthy("API keys not read from the store yet"));
}
