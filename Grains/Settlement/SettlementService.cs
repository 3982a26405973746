using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Payments.Accounts;
using Payments.Contracts;
using Payments.Regions;

namespace Payments.Settlement;

/// <summary>
/// The silo's settlement runner. A run goes on the thread pool, not in a grain turn: at thirty million accounts it
/// lasts minutes, longer than any grain call may. One run per region at a time on a silo; runs on different silos or
/// clusters take turns through the progress row's lock. Null store: the embedded mode, where nothing is settled.
/// </summary>
public sealed class SettlementService(
    ISettlementStore? store,
    IRegionRulesProvider regions,
    TimeProvider time,
    IOptions<SettlementOptions> options,
    IHostApplicationLifetime lifetime,
    SettlementMetrics metrics,
    ILogger<SettlementService> logger)
{
    private readonly Dictionary<string, Task<IReadOnlyList<SettlementRun>>> _running = new(StringComparer.Ordinal);

    /// <summary>False in the embedded mode: settlements need PostgreSQL.</summary>
    public bool Available => store is not null;

    public SettlementOptions Options => options.Value;

    /// <summary>Settles the region's closed days not settled yet; joins the run in progress if there is one.</summary>
    public Task<IReadOnlyList<SettlementRun>> SettleDueDaysAsync(string region)
    {
        if (store is null)
        {
            return Task.FromResult<IReadOnlyList<SettlementRun>>([]);
        }

        lock (_running)
        {
            if (!_running.TryGetValue(region, out var run) || run.IsCompleted)
            {
                run = Task.Run(() => RunAsync(store, region, lifetime.ApplicationStopping));
                _running[region] = run;
            }

            return run;
        }
    }

    /// <summary>A page of a day's settlement of the region.</summary>
    public async Task<SettlementPage> ListAsync(string region, DateOnly businessDate, int limit, string? beforeAccountId)
    {
        if (store is null)
        {
            return new(SettlementReadOutcome.Unavailable, null, [], null);
        }

        await regions.Ready;
        if (regions.Find(region) is null)
        {
            return new(SettlementReadOutcome.UnknownRegion, null, [], null);
        }

        var run = await store.FindRunAsync(region, businessDate, CancellationToken.None);
        var rows = await store.PageAsync(region, businessDate, beforeAccountId, limit + 1, CancellationToken.None);
        var items = rows.Take(limit).ToList();
        return new(SettlementReadOutcome.Found, run, items, rows.Count > limit ? items[^1].AccountId : null);
    }

    private async Task<IReadOnlyList<SettlementRun>> RunAsync(ISettlementStore settlements, string region, CancellationToken stopping)
    {
        await regions.Ready.WaitAsync(stopping);
        if (regions.Find(region) is not { } rules)
        {
            logger.LogWarning("Settlement of {Region}: no such region", region);
            return [];
        }

        var due = SettlementSchedule.ClosedDays(BusinessCalendar.For(rules), time.GetUtcNow(), Options.Grace, Options.LookbackDays);
        if (due.Count == 0)
        {
            return [];
        }

        var settled = await settlements.SettledDaysAsync(region, due[0], due[^1], stopping);
        var runs = new List<SettlementRun>();
        foreach (var day in due.Where(day => !settled.Contains(day)))
        {
            var started = time.GetTimestamp();
            SettlementRun run;
            try
            {
                run = await settlements.SettleAsync(region, day, again: false, stopping);
            }
            catch (Exception) when (!stopping.IsCancellationRequested)
            {
                metrics.RecordFailure(region);
                throw;
            }

            var elapsed = time.GetElapsedTime(started);
            metrics.RecordRun(run, elapsed);
            logger.LogInformation("Settlement of {Region} {BusinessDate}: {Accounts} accounts in {Elapsed}", region, day, run.Accounts, elapsed);
            runs.Add(run);
        }

        return runs;
    }
}
