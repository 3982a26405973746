using System.Collections.Immutable;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Payments.Contracts;

namespace Payments.Regions;

/// <summary>
/// The silo's copy of every region's rules, read by account grains on the payment path without waiting. A
/// background loop asks each region's <see cref="IRegionRulesGrain"/> every <see cref="RefreshPeriod"/> and swaps
/// in what is newer, so a change reaches every account on the silo within about two refresh periods (the grain
/// re-reads the store as often), and a lost update heals by itself on the next round.
/// </summary>
public sealed class RegionRulesCache(
    IGrainFactory grains,
    ConfiguredRegionRules configured,
    IHostApplicationLifetime lifetime,
    ILogger<RegionRulesCache> logger) : BackgroundService, IRegionRulesProvider
{
    public static readonly TimeSpan RefreshPeriod = TimeSpan.FromSeconds(1);

    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private ImmutableDictionary<string, RegionRules> _rules = ImmutableDictionary<string, RegionRules>.Empty.WithComparers(StringComparer.Ordinal);

    public IReadOnlyCollection<string> Regions => configured.Regions;

    public Task Ready => _ready.Task;

    public RegionRules? Find(string region) => Volatile.Read(ref _rules).GetValueOrDefault(region);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Grain calls work from when the host has started until it begins to stop: a call in flight while the silo
        // shuts down would hold the host's shutdown until the call times out.
        await lifetime.WhenStartedAsync(stoppingToken);
        using var running = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken, lifetime.ApplicationStopping);
        var token = running.Token;
        using var timer = new PeriodicTimer(RefreshPeriod);
        var unanswered = configured.Regions.ToHashSet(StringComparer.Ordinal);
        try
        {
            do
            {
                var regions = configured.Regions.ToList();
                var answered = await Task.WhenAll(regions.Select(region => RefreshAsync(region, token)));
                unanswered.ExceptWith(regions.Where((_, i) => answered[i]));
                if (unanswered.Count == 0)
                {
                    _ready.TrySetResult();
                }
            }
            while (await timer.WaitForNextTickAsync(token));
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
            // The host is stopping: the rules last read stay in force for the grains still deactivating.
        }
    }

    private async Task<bool> RefreshAsync(string region, CancellationToken cancellationToken)
    {
        try
        {
            if (await grains.GetGrain<IRegionRulesGrain>(region).GetRulesAsync().WaitAsync(cancellationToken) is { } fresh
                && (Find(region) is not { } known || fresh.Version > known.Version))
            {
                ImmutableInterlocked.Update(ref _rules, (rules, value) => rules.SetItem(region, value), fresh);
                logger.LogInformation("Rules of {Region}: version {Version} in force on this silo", region, fresh.Version);
            }

            return true;
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            logger.LogWarning(ex, "Rules of {Region} not refreshed; version {Version} stays in force", region, Find(region)?.Version);
            return false;
        }
    }
}
