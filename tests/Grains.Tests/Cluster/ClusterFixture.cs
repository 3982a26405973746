using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Orleans.Reminders;
using Orleans.Storage;
using Orleans.TestingHost;
using Payments.Accounts;
using Payments.Accounts.Holds.Expiry;
using Payments.Contracts;
using Payments.Grains.Tests.Support;
using Payments.Ledger;

namespace Payments.Grains.Tests.Cluster;

/// <summary>
/// One in-process silo configured like a region-a silo of the embedded mode (<see cref="PaymentsGrainServices"/>,
/// memory grain storage "accounts", in-memory reminders), with a fake clock that the tests move. Each test class has
/// its own (<c>IClassFixture</c>), so its own clock: a class that moves the clock a month shifts no other class's
/// business dates.
/// </summary>
/// <remarks>
/// The fake clock is the silo's default <see cref="TimeProvider"/>, so grains read it; Orleans' own background loops
/// (membership, messaging timeouts, activation collection, reminders) are pinned to real time so that moving the
/// clock by a week does not fire them all at once. One silo, so there is one <see cref="InMemoryLedgerStore"/>.
/// </remarks>
public sealed class ClusterFixture : IAsyncLifetime
{
    /// <summary>Wednesday 25 November 2026, 10:00 UTC (11:00 in Paris): each class's clock starts here and only moves forward.</summary>
    public static readonly DateTimeOffset Start = TestRules.Utc(2026, 11, 25, 10);

    // The same region-a rules as the API tests' clusters (TestRegion.cs, linked from tests/Api.Tests).
    private static readonly Dictionary<string, string?> Settings = Payments.Api.Tests.TestRegion.SiloConfiguration();

    /// <summary>Regions only the rules tests change (each test its own), configured like region-a.</summary>
    public static readonly string[] RulesTestRegions = ["rules-test", "calendar-later", "calendar-earlier", "calendar-west"];

    /// <summary>Rows after which a busy account writes its snapshot, small here so that a test reaches it.</summary>
    public const int SnapshotEveryRows = 10;

    private InProcessTestCluster? _cluster;

    public FakeTimeProvider Clock { get; } = new(Start);

    public InProcessTestCluster Cluster => _cluster ?? throw new InvalidOperationException("The cluster is not deployed.");

    public IClusterClient Client => Cluster.Client;

    /// <summary>The silo's own ledger store, resolved from its services.</summary>
    public ILedgerStore Ledger => SiloServices.GetRequiredService<ILedgerStore>();

    public IServiceProvider SiloServices => Cluster.Silos.Single().ServiceProvider;

    /// <summary>The region's calendar, as the rules in the configuration above define it.</summary>
    public BusinessCalendar Calendar { get; } = BusinessCalendar.For(TestRules.Paris());

    public async Task InitializeAsync()
    {
        var builder = new InProcessTestClusterBuilder(1);
        builder.Options.ConfigureFileLogging = false;
        builder.ConfigureSiloHost((_, host) =>
        {
            host.Configuration.AddInMemoryCollection(Settings);
            // Tests sweep expired holds by hand, on their own clock: a timer's pass between two steps of a test would
            // write a release row the test did not ask for (HoldExpiryTests run the sweep).
            host.Configuration.AddInMemoryCollection([KeyValuePair.Create<string, string?>($"{HoldExpiryOptions.Section}:Enabled", "false")]);
            host.Configuration.AddInMemoryCollection([KeyValuePair.Create<string, string?>("Payments:Snapshots:EveryRows", $"{SnapshotEveryRows}")]);
            host.Configuration.AddInMemoryCollection(RulesTestRegions.SelectMany(region => Settings
                .Where(setting => setting.Key.StartsWith("Payments:Regions:region-a:", StringComparison.Ordinal))
                .Select(setting => KeyValuePair.Create(setting.Key.Replace("region-a", region, StringComparison.Ordinal), setting.Value))));

            // Before AddPaymentsGrains, which only adds the system clock when none is registered.
            host.Services.AddSingleton<TimeProvider>(Clock);
            host.Services.UseTimeProviderForBackgroundAreas(TimeProvider.System);
            host.Services.AddKeyedSingleton(ReminderTimeProviderNames.Reminders, TimeProvider.System);
            host.Services.AddPaymentsGrains(host.Configuration);
        });
        builder.ConfigureSilo((_, silo) =>
        {
            silo.AddMemoryGrainStorage("accounts");
            silo.UseInMemoryReminderService();
        });
        _cluster = builder.Build();
        await _cluster.DeployAsync();
    }

    public async Task DisposeAsync()
    {
        if (_cluster is null)
        {
            return;
        }

        // Grains write their snapshots while the silo stops, and Orleans retries what fails then (placement) with
        // delays on the default clock: let the fake clock run meanwhile, or each retry waits for the shutdown timeout.
        using var stopped = new CancellationTokenSource();
        var pump = Task.Run(async () =>
        {
            while (!stopped.IsCancellationRequested)
            {
                Clock.Advance(TimeSpan.FromSeconds(1));
                await Task.Delay(5, CancellationToken.None);
            }
        });
        await _cluster.StopAllSilosAsync();
        await stopped.CancelAsync();
        await pump;
        await _cluster.DisposeAsync();
    }

    public IAccountGrain Account(string id) => Client.GetGrain<IAccountGrain>(id);

    /// <summary>The account's snapshot as the silo's grain storage holds it now.</summary>
    public async Task<GrainState<AccountState>> ReadSnapshotAsync(IAccountGrain account)
    {
        var storage = SiloServices.GetRequiredKeyedService<IGrainStorage>("accounts");
        var state = new GrainState<AccountState>();
        await storage.ReadStateAsync("account", account.GetGrainId(), state);
        return state;
    }

    /// <summary>Opens a fresh account (a new id every call) and returns its grain.</summary>
    public async Task<IAccountGrain> OpenAsync(long initialBalance, AccountLimits? limits = null)
    {
        var account = Account(NewAccountId());
        var result = await account.OpenAsync(new OpenAccountRequest(TestRules.Region, "EUR", initialBalance, limits ?? AccountLimits.None));
        Assert.Equal(OpenOutcome.Created, result.Outcome);
        return account;
    }

    public static string NewAccountId() => $"acc-{Guid.NewGuid():N}";

    /// <summary>Moves the clock to <paramref name="instant"/>; the clock never goes back.</summary>
    public void MoveClockTo(DateTimeOffset instant)
    {
        Assert.True(instant >= Clock.GetUtcNow(), $"The clock cannot go back from {Clock.GetUtcNow():O} to {instant:O}.");
        Clock.SetUtcNow(instant);
    }

    /// <summary>The start of the next business day after the clock's current instant.</summary>
    public DateTimeOffset NextReset() => Calendar.Day(Calendar.BusinessDate(Clock.GetUtcNow())).End;
}

/// <summary>
/// Grain test classes run one after another, each on its silo and clock of its own (<c>IClassFixture</c>): the tests
/// that time group commits and concurrent calls do not share the cores with another class's silo.
/// </summary>
[CollectionDefinition(Name)]
public sealed class ClusterCollection
{
    public const string Name = "cluster";
}
