using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Polly;
using Payments.Contracts;
using Payments.Events;
using Stopwatch = System.Diagnostics.Stopwatch;

namespace Payments.Webhooks;

/// <summary>
/// Delivers one endpoint's events while this silo holds its lease. It reads ahead from the endpoint's cursor (at most
/// <see cref="WebhookOptions.MaxQueued"/> events), sends each account's events one after the other (many accounts at
/// once), retries each through <see cref="DeliveryRetries"/>, and moves the stored cursor past every event that was
/// delivered or parked (failing for over an hour: it stops holding its account back and goes on being retried from
/// <c>webhook_parked</c>). So after a crash or a takeover the next owner starts from the cursor: every event arrives
/// at least once, an account's in order, some twice.
/// </summary>
/// <remarks>
/// One loop owns the queues; deliveries run as tasks and report back through a channel. Operational timing (polling,
/// the lease) runs on the real clock; the delivery rules (backoff, the hour, the 3 days) on the injected one.
/// </remarks>
public sealed class EndpointWorker(EndpointLease lease, WebhookDelivery delivery, ILogger logger)
{
    /// <summary>
    /// Events read ahead per turn of the loop at most. A read turns each row into its event, some with a query of their
    /// own (a capture's authorization, an account's view), and the loop starts no delivery meanwhile: a backlog read
    /// in one piece of <see cref="WebhookOptions.MaxQueued"/> held every delivery up for seconds.
    /// </summary>
    private const int ReadAheadStep = 500;

    private readonly Channel<Report> _reports = Channel.CreateUnbounded<Report>();
    private readonly LinkedList<Slot> _window = new();
    private readonly Dictionary<string, Queue<Slot>> _waiting = new(StringComparer.Ordinal);
    private readonly HashSet<string> _holding = new(StringComparer.Ordinal);
    private readonly Queue<string> _ready = new();
    private readonly List<StoredAttempt> _attempts = [];
    private readonly ResiliencePipeline<AttemptResult> _retries = DeliveryRetries.Pipeline(delivery.Options, delivery.Time);
    private readonly FeedWaiter _waiter = new(delivery.Appends, delivery.Options.PollInterval, TimeProvider.System);
    private StoredEndpoint _endpoint = lease.Endpoint;
    private byte[] _key = [];
    private EventTypeFilter _types = new([]);
    private FeedPosition _read = lease.Endpoint.Cursor;
    private FeedPosition _saved = lease.Endpoint.Cursor;
    private long _renewedAt = Stopwatch.GetTimestamp();
    private int _inFlight;
    private bool _progressed;
    private int _queued;
    private bool _giveUp;

    public string EndpointId => lease.EndpointId;

    /// <summary>Events read and not yet delivered or parked: the endpoint's queue depth.</summary>
    public int Queued => Volatile.Read(ref _queued);

    public async Task RunAsync(CancellationToken stopping)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(stopping);
        Apply(lease.Endpoint);
        logger.LogInformation("Webhook endpoint {EndpointId}: delivering from {Cursor} as {Owner}", EndpointId, _read, lease.Owner);
        try
        {
            foreach (var parked in await delivery.Store.ListParkedAsync(EndpointId, stop.Token))
            {
                await RetryParkedAsync(parked, stop.Token);
            }

            while (!stop.IsCancellationRequested && await StepAsync(stop.Token))
            {
                await WaitAsync(stop.Token);
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
        }
        finally
        {
            await stop.CancelAsync();
            await ReleaseAsync();
        }
    }

    /// <summary>One turn of the loop; false when the worker must stop (lease lost, endpoint disabled or deleted).</summary>
    private async Task<bool> StepAsync(CancellationToken cancellationToken)
    {
        try
        {
            if (Stopwatch.GetElapsedTime(_renewedAt) > delivery.Options.LeaseDuration / 3)
            {
                if (await delivery.Store.RenewAsync(lease, delivery.Options.LeaseDuration, cancellationToken) is not { Status: WebhookEndpointStatus.Enabled } renewed)
                {
                    logger.LogInformation("Webhook endpoint {EndpointId}: lease lost, disabled or deleted; stopping", EndpointId);
                    return false;
                }

                Apply(renewed);
                _renewedAt = Stopwatch.GetTimestamp();
            }

            await HandleReportsAsync(cancellationToken);
            await ReadAheadAsync(cancellationToken);
            StartReadyAccounts(cancellationToken);
            await SaveProgressAsync(cancellationToken);
            if (_giveUp)
            {
                logger.LogWarning("Webhook endpoint {EndpointId}: an event failed for {Days} days; disabling the endpoint",
                    EndpointId, delivery.Options.GiveUpAfter.TotalDays);
                await delivery.Store.DisableAsync(lease, delivery.Time.GetUtcNow(), cancellationToken);
                delivery.Metrics.EndpointDisabled();
                return false;
            }

            return true;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // The store is away (a failover): keep what is in memory and try again, but stop sending before the lease
            // can have passed to someone else.
            logger.LogWarning("Webhook endpoint {EndpointId}: {Error}", EndpointId, ex.Message);
            return Stopwatch.GetElapsedTime(_renewedAt) < delivery.Options.LeaseDuration * 2 / 3;
        }
    }

    private void Apply(StoredEndpoint endpoint)
    {
        _endpoint = endpoint;
        _key = WebhookSignature.KeyOf(delivery.Secrets.Open(endpoint.SealedSecret));
        _types = new EventTypeFilter(endpoint.Types);
    }

    private async Task ReadAheadAsync(CancellationToken cancellationToken)
    {
        var room = Math.Min(delivery.Options.MaxQueued - _window.Count, ReadAheadStep);
        _progressed = false;
        if (room <= 0)
        {
            return;
        }

        _waiter.Reading();
        var (found, scanned) = await delivery.Feed.ScanAsync(_read, room, _types, null, cancellationToken);
        _progressed = scanned != _read;
        foreach (var feedEvent in found)
        {
            var slot = new Slot(feedEvent);
            _window.AddLast(slot);
            if (!_waiting.TryGetValue(feedEvent.AccountId, out var queue))
            {
                _waiting[feedEvent.AccountId] = queue = new Queue<Slot>();
            }

            queue.Enqueue(slot);
            if (queue.Count == 1 && !_holding.Contains(feedEvent.AccountId))
            {
                _ready.Enqueue(feedEvent.AccountId);
            }
        }

        _read = scanned;
        Volatile.Write(ref _queued, _window.Count);
    }

    /// <summary>Starts the next event of each account that nothing holds back, up to the in-flight bound.</summary>
    private void StartReadyAccounts(CancellationToken cancellationToken)
    {
        while (_inFlight < delivery.Options.MaxInFlight && _ready.TryDequeue(out var accountId))
        {
            var queue = _waiting[accountId];
            var slot = queue.Dequeue();
            if (queue.Count == 0)
            {
                _waiting.Remove(accountId);
            }

            _holding.Add(accountId);
            _inFlight++;
            _ = DeliverAsync(slot.Event, null, slot, cancellationToken);
        }
    }

    private async Task RetryParkedAsync(ParkedEvent parked, CancellationToken cancellationToken)
    {
        if (await delivery.Rows.FindAsync(parked.AccountId, parked.Seq, cancellationToken) is { } row)
        {
            _ = DeliverAsync(await delivery.Events.ToEventAsync(row, cancellationToken), parked.FirstFailedAt, null, cancellationToken);
        }
    }

    /// <summary>
    /// Sends one event until it succeeds or fails for 3 days. <paramref name="slot"/> is null for an event parked before
    /// this worker started: it holds nothing back any more.
    /// </summary>
    private async Task DeliverAsync(FeedEvent feedEvent, DateTimeOffset? failedSince, Slot? slot, CancellationToken cancellationToken)
    {
        var parked = slot is null;
        var progress = new DeliveryProgress(failedSince, (failed, delay) =>
        {
            Post(new Report(ReportKind.Attempt, feedEvent, slot, failed, failed.AttemptedAt + delay));
            if (!parked && failed.AttemptedAt - failedSince!.Value >= delivery.Options.HoldBackLimit)
            {
                parked = true;
                Post(new Report(ReportKind.Parked, feedEvent, slot, failed, null));
            }
        });
        var context = ResilienceContextPool.Shared.Get(cancellationToken);
        context.Properties.Set(DeliveryRetries.Progress, progress);
        try
        {
            var result = await _retries.ExecuteAsync(async ctx =>
            {
                var attempt = await delivery.Sender.SendAsync(_endpoint.Url, _key, feedEvent, delivery.Time.GetUtcNow(), ctx.CancellationToken);
                progress.Attempted(attempt);
                failedSince = progress.FailedSince;
                return attempt;
            }, context);
            Post(new Report(result.Succeeded ? ReportKind.Delivered : ReportKind.GaveUp, feedEvent, slot, result, null) { WasParked = parked });
        }
        catch (OperationCanceledException)
        {
            // The worker stops: what was not delivered is after the stored cursor, or parked, and the next owner sends it.
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }
    }

    private void Post(Report report) => _reports.Writer.TryWrite(report);

    private async Task HandleReportsAsync(CancellationToken cancellationToken)
    {
        while (_reports.Reader.TryRead(out var report))
        {
            switch (report.Kind)
            {
                case ReportKind.Attempt:
                    Record(report);
                    delivery.Metrics.AttemptFailed();
                    break;
                case ReportKind.Parked:
                    // Recorded before the cursor may pass the event, so that the next owner retries it too.
                    try
                    {
                        await delivery.Store.ParkAsync(lease, new ParkedEvent(report.Event.AccountId, report.Event.Seq, report.Result.AttemptedAt), cancellationToken);
                    }
                    catch
                    {
                        Post(report);
                        throw;
                    }

                    Release(report.Slot!);
                    _inFlight--;
                    break;
                case ReportKind.Delivered:
                    Record(report);
                    delivery.Metrics.Delivered(delivery.Time.GetUtcNow() - report.Event.Time);
                    if (report.WasParked)
                    {
                        await delivery.Store.UnparkAsync(EndpointId, report.Event.AccountId, report.Event.Seq, cancellationToken);
                    }
                    else if (report.Slot is { } slot)
                    {
                        Release(slot);
                        _inFlight--;
                    }

                    break;
                case ReportKind.GaveUp:
                    Record(report);
                    delivery.Metrics.AttemptFailed();
                    _giveUp = true;
                    break;
                default:
                    throw new InvalidOperationException($"Unknown delivery report {report.Kind}.");
            }
        }

        if (_attempts.Count > 0)
        {
            await delivery.Store.RecordAttemptsAsync(_attempts, cancellationToken);
            _attempts.Clear();
        }
    }

    private void Record(Report report) => _attempts.Add(new StoredAttempt(
        EndpointId, 0, report.Event.Id, report.Event.AccountId, report.Event.Seq, report.Result.AttemptedAt, report.Result.HttpStatus,
        report.Result.Error, (long)report.Result.Duration.TotalMilliseconds, report.NextAttemptAt));

    /// <summary>The slot no longer holds its account back: the account's next event may go.</summary>
    private void Release(Slot slot)
    {
        slot.Released = true;
        var accountId = slot.Event.AccountId;
        _holding.Remove(accountId);
        if (_waiting.ContainsKey(accountId))
        {
            _ready.Enqueue(accountId);
        }
    }

    /// <summary>Moves the stored cursor past the released slots at the front of the window.</summary>
    private async Task SaveProgressAsync(CancellationToken cancellationToken)
    {
        var cursor = _saved;
        while (_window.First is { Value.Released: true } first)
        {
            cursor = first.Value.Event.Position;
            _window.RemoveFirst();
        }

        if (_window.Count == 0)
        {
            cursor = _read;
        }

        Volatile.Write(ref _queued, _window.Count);
        if (cursor != _saved && await delivery.Store.SaveCursorAsync(lease, cursor, cancellationToken))
        {
            _saved = cursor;
        }
    }

    /// <summary>Until a delivery reports, an append is heard of, or the slow poll comes round.</summary>
    private Task WaitAsync(CancellationToken cancellationToken) =>
        _waiter.WaitAsync(_progressed, null, token => _reports.Reader.WaitToReadAsync(token).AsTask(), cancellationToken);

    private async Task ReleaseAsync()
    {
        try
        {
            await delivery.Store.ReleaseAsync(lease, CancellationToken.None);
        }
        catch (Exception ex)
        {
            logger.LogInformation("Webhook endpoint {EndpointId}: lease not released ({Error}); it expires by itself", EndpointId, ex.Message);
        }
    }

    private sealed class Slot(FeedEvent feedEvent)
    {
        public FeedEvent Event { get; } = feedEvent;

        /// <summary>Delivered, or parked: it no longer holds its account back, and the cursor may pass it.</summary>
        public bool Released { get; set; }
    }

    private enum ReportKind
    {
        /// <summary>A failed attempt that will be retried.</summary>
        Attempt,
        /// <summary>The event failed for over an hour: it stops holding its account back.</summary>
        Parked,
        Delivered,
        /// <summary>The event failed for 3 days: the endpoint is disabled.</summary>
        GaveUp,
    }

    private sealed record Report(ReportKind Kind, FeedEvent Event, Slot? Slot, AttemptResult Result, DateTimeOffset? NextAttemptAt)
    {
        public bool WasParked { get; init; }
    }
}
