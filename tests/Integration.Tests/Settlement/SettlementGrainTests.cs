using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Globalization;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Npgsql;
using Orleans;
using Orleans.Hosting;
using Orleans.Reminders;
using Orleans.TestingHost;
using Payments.Contracts;
using Payments.Integration.Tests.Infrastructure;
using Payments.Settlement;

namespace Payments.Integration.Tests.Settlement;

/// <summary>
/// The settlement as the reminder runs it, on a silo with the real PostgreSQL and a fake clock: accounts pay through
/// their grains during a business day of a region of the test's own, the clock passes the region's reset, and the
/// closed day is totalled and read back a page at a time.
/// </summary>
[Collection(RealServersCollection.Name)]
public sealed class SettlementGrainTests(RealServers servers) : IAsyncLifetime
{
    private static readonly TimeZoneInfo Paris = TimeZoneInfo.FindSystemTimeZoneById("Europe/Paris");
    private readonly string _region = LedgerRows.NewRegion();
    private readonly FakeTimeProvider _clock = new();
    private readonly DateOnly _day = LedgerRows.NewBusinessDate();
    private InProcessTestCluster _cluster = null!;
    private DateTime _deployedAt;

    public async Task InitializeAsync()
    {
        _clock.SetUtcNow(Local(_day, 11));
        var builder = new InProcessTestClusterBuilder(1);
        builder.Options.ServiceId = $"payments-it-{Guid.NewGuid():N}";
        builder.Options.ConfigureFileLogging = false;
        builder.ConfigureSiloHost((_, host) =>
        {
            host.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["ConnectionStrings:Postgres"] = servers.PostgresConnectionString,
                ["Payments:Region"] = _region,
                [$"Payments:Regions:{_region}:TimeZone"] = "Europe/Paris",
                [$"Payments:Regions:{_region}:ResetHour"] = "3",
                [$"Payments:Regions:{_region}:Currency"] = "EUR",
                // Each silo checks its region's settlement reminder this often (a lost one is registered again).
                ["Payments:Settlement:ReminderCheck"] = "00:00:01",
            });
            host.Services.AddSingleton<TimeProvider>(_clock);
            host.Services.UseTimeProviderForBackgroundAreas(TimeProvider.System);
            host.Services.AddKeyedSingleton(ReminderTimeProviderNames.Reminders, TimeProvider.System);
            host.Services.AddPaymentsGrains(host.Configuration);
        });
        // Snapshots on PostgreSQL as on a real silo (memory storage is a grain, gone before the accounts deactivate).
        builder.ConfigureSilo((_, silo) => silo
            .AddAdoNetGrainStorage("accounts", options =>
            {
                options.Invariant = "Npgsql";
                options.ConnectionString = servers.PostgresConnectionString;
            })
            .UseInMemoryReminderService());
        _cluster = builder.Build();
        _deployedAt = DateTime.UtcNow;
        await _cluster.DeployAsync();
    }

    public async Task DisposeAsync()
    {
        await _cluster.StopAllSilosAsync();
        await _cluster.DisposeAsync();
    }

    [Fact]
    public async Task Closed_day_is_settled_after_the_local_reset_and_read_back_page_by_page()
    {
        var accounts = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            var account = _cluster.Client.GetGrain<IAccountGrain>($"acc-{Guid.NewGuid():N}");
            Assert.Equal(OpenOutcome.Created, (await account.OpenAsync(new OpenAccountRequest(_region, "EUR", 100_000, AccountLimits.None))).Outcome);
            await account.PayAsync(new PaymentRequest(1_000 * (i + 1), "EUR", "Shop", "5411", null));
            await account.PayAsync(new PaymentRequest(60_000, "EUR", "Shop", "5411", null));
            await account.DepositAsync(new DepositRequest(250, "EUR", "refund", null));
            accounts.Add(account.GetPrimaryKeyString());
        }

        var settlement = _cluster.Client.GetGrain<ISettlementGrain>(_region);
        _clock.SetUtcNow(Local(_day.AddDays(1), 3).AddMinutes(1));
        var early = await settlement.SettleDueDaysAsync();
        _clock.SetUtcNow(Local(_day.AddDays(1), 3).AddMinutes(2));
        var due = await settlement.SettleDueDaysAsync();
        var again = await settlement.SettleDueDaysAsync();

        Assert.DoesNotContain(early, run => run.BusinessDate == _day);
        var run = Assert.Single(due, run => run.BusinessDate == _day);
        Assert.Equal((5L, _region), (run.Accounts, run.Region));
        Assert.Empty(again);
        var first = await settlement.ListAsync(_day, 3, null);
        var second = await settlement.ListAsync(_day, 3, first.NextBeforeAccountId);
        Assert.Equal(SettlementReadOutcome.Found, first.Outcome);
        Assert.NotNull(first.Run!.FinishedAt);
        Assert.Null(second.NextBeforeAccountId);
        var lines = first.Items.Concat(second.Items).Reverse()
            .Select(s => string.Join('|', s.AccountId, s.Currency, s.ApprovedCount, s.ApprovedAmount, s.DeclinedCount, s.DepositCount, s.DepositAmount,
                s.CaptureCount, s.CaptureAmount, s.RefundCount, s.RefundAmount, s.AdviceCount, s.AdviceAmount));
        await using var db = NpgsqlDataSource.Create(servers.PostgresConnectionString);
        Assert.Equal(await SettlementSql.ExpectedFromLedgerAsync(db, _region, _day), lines);
        Assert.Equal(accounts.Order(StringComparer.Ordinal), lines.Select(line => line.Split('|')[0]).Order(StringComparer.Ordinal));
        Assert.All(lines, line => Assert.Matches(@"\|EUR\|1\|[1-5]000\|1\|1\|250\|0\|0\|0\|0\|0\|0$", line));
    }

    [Fact]
    public async Task Silo_start_schedules_the_region_settlement_two_minutes_after_its_next_local_reset_then_hourly()
    {
        // The silo registers the reminder once started; the fake clock stands still, so the delay is known.
        var entry = await ReminderAsync(_cluster.Client.GetGrain<ISettlementGrain>(_region).GetGrainId(), SettlementGrain.ReminderName);

        var read = DateTime.UtcNow;
        var due = Local(_day.AddDays(1), 3).AddMinutes(2) - _clock.GetUtcNow();
        Assert.Equal(TimeSpan.FromHours(1), entry.Period);
        Assert.InRange(entry.StartAt, _deployedAt + due, read + due);
    }

    [Fact]
    public async Task A_settled_day_is_measured_with_its_duration_and_accounts_by_region()
    {
        var measured = new ConcurrentQueue<(string Instrument, double Value)>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, meters) =>
        {
            if (instrument.Meter.Name == SettlementMetrics.MeterName)
            {
                meters.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<double>((instrument, value, tags, _) => Keep(instrument, value, tags));
        listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) => Keep(instrument, value, tags));
        listener.Start();
        for (var i = 0; i < 2; i++)
        {
            var account = _cluster.Client.GetGrain<IAccountGrain>($"acc-{Guid.NewGuid():N}");
            await account.OpenAsync(new OpenAccountRequest(_region, "EUR", 10_000, AccountLimits.None));
            await account.PayAsync(new PaymentRequest(500, "EUR", "Shop", "5411", null));
        }

        _clock.SetUtcNow(Local(_day.AddDays(1), 3).AddMinutes(2));
        var runs = await _cluster.Client.GetGrain<ISettlementGrain>(_region).SettleDueDaysAsync();

        Assert.Equal(2, Assert.Single(runs, run => run.BusinessDate == _day).Accounts);
        Assert.Equal(runs.Count, measured.Count(m => m.Instrument == "payments.settlement.duration"));
        Assert.Equal(runs.Sum(run => run.Accounts), measured.Where(m => m.Instrument == "payments.settlement.accounts").Sum(m => m.Value));

        // Only this test's region: other silos of the process may settle theirs meanwhile.
        void Keep<T>(Instrument instrument, T value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
            where T : struct
        {
            foreach (var tag in tags)
            {
                if (tag is { Key: "region", Value: string region } && region == _region)
                {
                    measured.Enqueue((instrument.Name, Convert.ToDouble(value, CultureInfo.InvariantCulture)));
                }
            }
        }
    }

    // Redis replicates asynchronously: a replica that Sentinel promotes may lack the last reminder writes.
    [Fact]
    public async Task A_settlement_reminder_lost_with_a_redis_primary_is_registered_again()
    {
        var settlement = _cluster.Client.GetGrain<ISettlementGrain>(_region).GetGrainId();
        var registered = await ReminderAsync(settlement, SettlementGrain.ReminderName);

        Assert.True(await Reminders.RemoveRow(settlement, SettlementGrain.ReminderName, registered.ETag!));
        var again = await ReminderAsync(settlement, SettlementGrain.ReminderName);

        Assert.NotEqual(registered.ETag, again.ETag);
        Assert.Equal(registered.Period, again.Period);
    }

    [Fact]
    public async Task An_account_s_lost_snapshot_reminder_is_registered_again_with_its_next_change()
    {
        var account = _cluster.Client.GetGrain<IAccountGrain>($"acc-{Guid.NewGuid():N}");
        await account.OpenAsync(new OpenAccountRequest(_region, "EUR", 10_000, AccountLimits.None));
        await account.PayAsync(new PaymentRequest(500, "EUR", "Shop", "5411", null));
        var registered = await ReminderAsync(account.GetGrainId(), "snapshot");

        Assert.True(await Reminders.RemoveRow(account.GetGrainId(), "snapshot", registered.ETag!));
        // Two snapshot periods (1 minute each) without a tick: the grain takes its reminder for lost.
        _clock.Advance(TimeSpan.FromMinutes(2));
        await account.PayAsync(new PaymentRequest(700, "EUR", "Shop", "5411", null));

        Assert.NotEqual(registered.ETag, (await ReminderAsync(account.GetGrainId(), "snapshot")).ETag);
    }

    [Fact]
    public async Task Settlement_of_an_unknown_region_is_not_found()
    {
        var page = await _cluster.Client.GetGrain<ISettlementGrain>("nowhere").ListAsync(_day, 10, null);

        Assert.Equal(SettlementReadOutcome.UnknownRegion, page.Outcome);
    }

    private IReminderTable Reminders => _cluster.Silos.Single().ServiceProvider.GetRequiredService<IReminderTable>();

    /// <summary>The grain's reminder as the reminder table holds it, waiting up to 30 s for it to be registered.</summary>
    private async Task<ReminderEntry> ReminderAsync(GrainId grain, string name)
    {
        using var patience = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        ReminderEntry? entry;
        while ((entry = await Reminders.ReadRow(grain, name)) is null)
        {
            await Task.Delay(50, patience.Token);
        }

        return entry;
    }

    private static DateTimeOffset Local(DateOnly date, int hour) =>
        new(TimeZoneInfo.ConvertTimeToUtc(date.ToDateTime(new TimeOnly(hour, 0)), Paris), TimeSpan.Zero);
}
