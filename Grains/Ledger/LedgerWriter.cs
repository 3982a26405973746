using System.Diagnostics;
using System.Threading.Channels;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Payments.Ledger;

/// <summary>
/// The silo's group commit: appends from every account grain queue here and are written in batches, one commit
/// per batch, like a database's WAL. An append is one account's rows (the payments its grain decided while its
/// previous append committed); it completes only when they are all durable, or none is.
/// </summary>
/// <remarks>
/// There is no timer: while one batch commits, the next fills, so batches grow with the load by themselves.
/// A few writers run at once so that one slow commit does not stall the silo. An account never has two appends in
/// flight (its grain awaits each one), so concurrent batches never reorder one account's rows.
/// A batch closes at <see cref="MaxBatch"/> rows or earlier; an append is never split between batches.
/// The queue is bounded (<see cref="MaxQueued"/> appends): past that an append is refused at once with
/// <see cref="LedgerOverloadedException"/>, before anything is written, rather than waiting past its caller's deadline.
/// The writer starts before every hosted service (the silo among them) and stops after all of them, whatever their
/// order: the grains that the silo deactivates on a graceful shutdown still get their queued rows committed.
/// </remarks>
public sealed class LedgerWriter(ILedgerStore store, LedgerMetrics metrics, ILogger<LedgerWriter> logger) : IHostedLifecycleService
{
    private const int MaxBatch = 512;
    private const int Writers = 4;

    /// <summary>
    /// Appends that may wait for a writer: a few thousand rows, a few hundred milliseconds of commits at saturation,
    /// well within the API's 2 s deadline. Each account has at most one append queued (its grain awaits it).
    /// </summary>
    public const int MaxQueued = 4096;

    /// <summary>
    /// How long a batch's requests wait for its commit. A commit is never cancelled (<see cref="DurableCommit"/>); one
    /// that hangs (a primary cut off the network) is left to finish or fail on its own while its requests answer 503.
    /// </summary>
    private static readonly TimeSpan CommitPatience = TimeSpan.FromSeconds(5);
    private readonly Channel<PendingAppend> _queue = Channel.CreateBounded<PendingAppend>(
        new BoundedChannelOptions(MaxQueued) { SingleWriter = false, SingleReader = false, FullMode = BoundedChannelFullMode.Wait });
    private volatile bool _stopped;
    private Task _writers = Task.CompletedTask;

    /// <summary>
    /// Queues one account's consecutive rows; true once all are durable, false when the seq or id of one of them is
    /// already taken (then none is written). Fails at once with <see cref="LedgerOverloadedException"/> when the queue
    /// is full.
    /// </summary>
    public Task<bool> AppendAsync(IReadOnlyList<LedgerEntry> entries)
    {
        var pending = new PendingAppend(entries);
        if (_queue.Writer.TryWrite(pending))
        {
            return pending.Completion.Task;
        }

        return Task.FromException<bool>(_stopped
            ? new LedgerUnavailableException(new InvalidOperationException("The ledger writer is stopped."))
            : new LedgerOverloadedException());
    }

    public Task StartingAsync(CancellationToken cancellationToken)
    {
        _writers = Task.WhenAll(Enumerable.Range(0, Writers).Select(_ => Task.Run(WriteBatchesAsync, CancellationToken.None)));
        return Task.CompletedTask;
    }

    public async Task StoppedAsync(CancellationToken cancellationToken)
    {
        // Queued appends still commit (their grains are waiting on them); nothing new is taken.
        _stopped = true;
        _queue.Writer.TryComplete();
        await _writers.WaitAsync(cancellationToken);
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private async Task WriteBatchesAsync()
    {
        var batch = new List<PendingAppend>(MaxBatch);
        var reader = _queue.Reader;
        while (await reader.WaitToReadAsync(CancellationToken.None))
        {
            var rows = 0;
            while (rows < MaxBatch && reader.TryRead(out var pending))
            {
                batch.Add(pending);
                rows += pending.Entries.Count;
            }

            if (batch.Count > 0)
            {
                await CommitAsync(batch);
                batch.Clear();
            }
        }
    }

    private async Task CommitAsync(List<PendingAppend> batch)
    {
        var started = Stopwatch.GetTimestamp();
        using var activity = LedgerTracing.StartCommit(batch.ConvertAll(p => p.Caller));
        try
        {
            var rows = batch.SelectMany(p => p.Entries).ToList();
            var appending = store.AppendAsync(rows, CancellationToken.None);
            // Observed here, so that an abandoned commit's late failure is not an unobserved task exception.
            _ = appending.ContinueWith(
                static t => t.Exception, CancellationToken.None,
                TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
            var appended = await appending.WaitAsync(CommitPatience);
            metrics.RecordCommit(rows.Count, Stopwatch.GetElapsedTime(started));
            var first = 0;
            foreach (var pending in batch)
            {
                // The store appends an account's rows all or none: the first flag speaks for the whole append.
                pending.Completion.TrySetResult(appended[first]);
                first += pending.Entries.Count;
            }
        }
        catch (Exception ex)
        {
            metrics.RecordFailure(batch.Sum(p => p.Entries.Count));
            activity?.SetStatus(ActivityStatusCode.Error, ex.GetType().Name);
            logger.LogError(ex, "Ledger commit of {Count} rows failed; their requests answer unavailable", batch.Count);
            foreach (var pending in batch)
            {
                pending.Completion.TrySetException(new LedgerUnavailableException(ex));
            }
        }
    }

    private sealed record PendingAppend(IReadOnlyList<LedgerEntry> Entries)
    {
        public TaskCompletionSource<bool> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        /// <summary>The span of the request that appended (its grain call), so the commit joins that trace.</summary>
        public ActivityContext Caller { get; } = Activity.Current?.Context ?? default;
    }
}

/// <summary>The ledger could not make a row durable: the request it belongs to approved nothing.</summary>
public sealed class LedgerUnavailableException(Exception inner) : Exception("The ledger is unavailable.", inner);

/// <summary>The ledger writer's queue is full: the append was refused before anything was written.</summary>
public sealed class LedgerOverloadedException() : Exception("The ledger writer's queue is full.");
