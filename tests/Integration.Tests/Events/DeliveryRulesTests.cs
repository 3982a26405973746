using System.Security.Cryptography;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Npgsql;
using Payments.Contracts;
using Payments.Events;
using Payments.Integration.Tests.Infrastructure;
using Payments.Regions;
using Payments.Webhooks;

namespace Payments.Integration.Tests.Events;

/// <summary>
/// The delivery rules that take hours and days, on a clock the test moves: an event failing for over an hour stops
/// holding its account's later events back and goes on being retried; an event failing for 3 days disables the
/// endpoint. One endpoint worker on the real PostgreSQL, delivering to a real HTTP receiver.
/// </summary>
[Collection(RealServersCollection.Name)]
public sealed class DeliveryRulesTests(RealServers servers) : IAsyncDisposable
{
    private readonly NpgsqlDataSource _db = NpgsqlDataSource.Create(servers.PostgresConnectionString);
    private readonly FakeTimeProvider _time = new(DateTimeOffset.UtcNow);
    private readonly WebhookOptions _options = new()
    {
        LeaseDuration = TimeSpan.FromSeconds(30),
        PollInterval = TimeSpan.FromMilliseconds(50),
        FirstRetryDelay = TimeSpan.FromSeconds(1),
        MaxRetryDelay = TimeSpan.FromMinutes(10),
    };

    [Fact]
    public async Task An_event_failing_for_an_hour_stops_holding_its_account_back_and_after_3_days_the_endpoint_is_disabled()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var store = new PostgresWebhookStore(_db, "rules-" + Guid.NewGuid().ToString("N"));
        var feed = new PostgresEventFeedStore(_db);
        var secrets = new SecretBox(RandomNumberGenerator.GetBytes(32));
        var endpointId = "we_" + Guid.NewGuid().ToString("N");
        await store.CreateAsync(new StoredEndpoint(endpointId, receiver.Url, ["payment.*"], "", secrets.Seal(WebhookSignature.NewSecret()),
            WebhookEndpointStatus.Enabled, _time.GetUtcNow(), _time.GetUtcNow(), await feed.HeadAsync(CancellationToken.None)), CancellationToken.None);
        var rows = new LedgerRows(_db);
        var day = LedgerRows.NewBusinessDate();
        var (stuck, other) = (await rows.OpenAsync(LedgerRows.NewRegion(), day), await rows.OpenAsync(LedgerRows.NewRegion(), day));
        await rows.AppendAsync(rows.Payment(stuck, day, 10));
        await rows.AppendAsync(rows.Payment(stuck, day, 20), rows.Payment(other, day, 30));
        receiver.Answer = w => w.Id == $"{stuck}:2" ? 500 : 200;
        using var stop = new CancellationTokenSource();
        var running = await StartWorkerAsync(store, feed, endpointId, secrets, stop.Token);

        await UntilAsync(() => receiver.Accepted.Any(w => w.Id == $"{other}:2"));
        await MoveClockAsync(TimeSpan.FromMinutes(50));
        var heldBack = !receiver.Received.Any(w => w.Id == $"{stuck}:3");
        await MoveClockAsync(TimeSpan.FromMinutes(25));
        await UntilAsync(() => receiver.Accepted.Any(w => w.Id == $"{stuck}:3"));
        var parked = await store.ListParkedAsync(endpointId, CancellationToken.None);
        await MoveClockAsync(TimeSpan.FromDays(3));
        await running.WaitAsync(TimeSpan.FromSeconds(60));

        Assert.True(heldBack, "The account's next event waited while the first failed for less than an hour.");
        Assert.Equal([(stuck, 2L)], parked.Select(p => (p.AccountId, p.Seq)));
        Assert.Equal(WebhookEndpointStatus.Disabled, (await store.GetAsync(endpointId, CancellationToken.None))!.Status);
        var attempts = await store.ListAttemptsAsync(endpointId, 1_000, null, CancellationToken.None);
        Assert.Equal(receiver.Received.Count(w => w.Id == $"{stuck}:2"), attempts.Count(a => a.EventId == $"{stuck}:2"));
        Assert.All(attempts.Where(a => a.EventId == $"{stuck}:2"), a => Assert.Equal(500, a.HttpStatus));
        Assert.Null(attempts.First(a => a.EventId == $"{stuck}:2").NextAttemptAt);
        Assert.True(attempts.Count(a => a.EventId == $"{stuck}:2") > 10, "Retried with backoff over the 3 days.");
        await stop.CancelAsync();
    }

    private async Task<Task> StartWorkerAsync(
        PostgresWebhookStore store, PostgresEventFeedStore feed, string endpointId, SecretBox secrets, CancellationToken stop)
    {
        var lease = await store.TryAcquireAsync(endpointId, "test", _options.LeaseDuration, stop) ?? throw new InvalidOperationException("No lease.");
        var ledger = new Payments.Ledger.PostgresLedgerStore(_db, new PostgresAppendNotifier(_db, NullLogger<PostgresAppendNotifier>.Instance));
        var events = new LedgerEvents(ledger, new NoRegions());
        var sender = new WebhookSender(new UrlPolicy(development: true), _options.AttemptTimeout);
        // Hearing of no appends: the worker finds the rows by its poll.
        var delivery = new WebhookDelivery(store, new EventFeed(feed, events), feed, events, sender, secrets, new UnheardLedgerAppends(), _time,
            Options.Create(_options), new WebhookMetrics(new SiloRegion("region-a")));
        var worker = new EndpointWorker(lease, delivery, NullLogger.Instance);
        return Task.Run(() => worker.RunAsync(stop), stop);
    }

    /// <summary>Moves the clock in steps no longer than the longest backoff, letting the retries that fall due run.</summary>
    private async Task MoveClockAsync(TimeSpan by)
    {
        var step = TimeSpan.FromMinutes(5);
        for (var moved = TimeSpan.Zero; moved < by; moved += step)
        {
            _time.Advance(step);
            await Task.Delay(30);
        }
    }

    private static async Task UntilAsync(Func<bool> condition)
    {
        for (var i = 0; i < 600 && !condition(); i++)
        {
            await Task.Delay(50);
        }

        Assert.True(condition());
    }

    public ValueTask DisposeAsync() => _db.DisposeAsync();

    /// <summary>The test's events are payments: no account view, so no region rules are needed.</summary>
    private sealed class NoRegions : IRegionRulesProvider
    {
        public IReadOnlyCollection<string> Regions => [];

        public Task Ready => Task.CompletedTask;

        public RegionRules? Find(string region) => null;
    }
}
