namespace Payments.Api.Hosting;

/// <summary>
/// Reads what every API replica shares from the store (API keys, routing switches) into this API: once before it
/// serves, waiting a few seconds at most, then every <paramref name="interval"/>. When the store cannot be read, what
/// was read last stays in force. Reads and local changes run one at a time (<see cref="OneAtATimeAsync"/>), so a slow
/// read that began before a change cannot undo it.
/// </summary>
/// <param name="what">What is read, plural, for the log: "API keys".</param>
public abstract class StoreRefresh(TimeSpan interval, TimeProvider time, ILogger logger, string what) : BackgroundService
{
    private static readonly TimeSpan StartupWait = TimeSpan.FromSeconds(5);
    private readonly SemaphoreSlim _serial = new(1, 1);

    /// <summary>The clock of the refreshes, for the stamps of local changes too.</summary>
    protected TimeProvider Time => time;

    public Task RefreshNowAsync(CancellationToken cancellationToken) => OneAtATimeAsync(ReadAsync, cancellationToken);

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
            logger.LogWarning(ex, "{What} not read at start; retrying every {Interval}", what, interval);
        }

        await base.StartAsync(cancellationToken);
    }

    public override void Dispose()
    {
        _serial.Dispose();
        base.Dispose();
        GC.SuppressFinalize(this);
    }

    /// <summary>Reads the store and applies what it holds.</summary>
    protected abstract Task ReadAsync(CancellationToken cancellationToken);

    /// <summary>Runs <paramref name="step"/> while no read or other change runs.</summary>
    protected async Task OneAtATimeAsync(Func<CancellationToken, Task> step, CancellationToken cancellationToken)
    {
        await _serial.WaitAsync(cancellationToken);
        try
        {
            await step(cancellationToken);
        }
        finally
        {
            _serial.Release();
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(interval, time);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await RefreshNowAsync(stoppingToken);
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                logger.LogWarning(ex, "{What} not refreshed; what was read last stays in force", what);
            }
        }
    }
}
