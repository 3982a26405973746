using Microsoft.Extensions.Logging;
using Payments.Accounts;
using Payments.Contracts;
using Payments.Regions;

namespace Payments.Settlement;

/// <summary>
/// A region's settlement schedule: a reminder (in the region's own Redis, so only this region's cluster fires it)
/// ticks every hour, aligned on the grace period after the region's reset. A tick hands the closed days not settled
/// yet to the silo's <see cref="SettlementService"/> and returns at once; the hourly ticks that find nothing to do
/// cost one query, and resume a run that a crash or an outage interrupted.
/// </summary>
public sealed class SettlementGrain(
    SettlementService settlements,
    IRegionRulesProvider regions,
    TimeProvider time,
    ILogger<SettlementGrain> logger) : Grain, ISettlementGrain, IRemindable
{
    public const string ReminderName = "settlement";

    private string Region => this.GetPrimaryKeyString();

    public async Task ScheduleAsync()
    {
        if (!settlements.Available)
        {
            logger.LogWarning(
                "Settlements are not available in the embedded mode (no PostgreSQL): the off-peak settlement of {Region} will not run",
                Region);
            return;
        }

        // Registered once: re-registering at every silo start would push back the hourly tick that resumes a run.
        if (await this.GetReminder(ReminderName) is null && await CalendarAsync() is { } calendar)
        {
            await RegisterAsync(calendar, time.GetUtcNow());
        }
    }

    public Task<IReadOnlyList<SettlementRun>> SettleDueDaysAsync() => settlements.SettleDueDaysAsync(Region);

    public Task<SettlementPage> ListAsync(DateOnly businessDate, int limit, string? beforeAccountId) =>
        settlements.ListAsync(Region, businessDate, limit, beforeAccountId);

    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        if (!string.Equals(reminderName, ReminderName, StringComparison.Ordinal) || await CalendarAsync() is not { } calendar)
        {
            return;
        }

        _ = settlements.SettleDueDaysAsync(Region).ContinueWith(
            run => logger.LogError(run.Exception, "Settlement of {Region} failed; the next hourly tick resumes it", Region),
            CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);

        // A new time zone with another UTC minute offset moves the runs off the hourly ticks: move the ticks too.
        var tick = new DateTimeOffset(status.CurrentTickTime, TimeSpan.Zero);
        if (!SettlementSchedule.IsAligned(calendar, tick, settlements.Options.Grace))
        {
            await RegisterAsync(calendar, time.GetUtcNow());
        }
    }

    private async Task RegisterAsync(BusinessCalendar calendar, DateTimeOffset now)
    {
        var next = SettlementSchedule.NextRun(calendar, now, settlements.Options.Grace);
        await this.RegisterOrUpdateReminder(ReminderName, next - now, SettlementSchedule.TickPeriod);
        logger.LogInformation("Settlement of {Region} scheduled: first run at {NextRun}, then every {Period} a check", Region, next, SettlementSchedule.TickPeriod);
    }

    private async Task<BusinessCalendar?> CalendarAsync()
    {
        await regions.Ready;
        return regions.Find(Region) is { } rules ? BusinessCalendar.For(rules) : null;
    }
}
