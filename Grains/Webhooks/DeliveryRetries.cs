using Polly;
using Polly.Retry;

namespace Payments.Webhooks;

/// <summary>
/// The retry schedule of one event to one endpoint, as a Polly pipeline: exponential backoff with jitter from
/// <see cref="WebhookOptions.FirstRetryDelay"/> up to <see cref="WebhookOptions.MaxRetryDelay"/>, for as long as the
/// event has failed for less than <see cref="WebhookOptions.GiveUpAfter"/>. Time is the injected clock's, so tests
/// move it across the hour and the 3 days.
/// </summary>
public static class DeliveryRetries
{
    /// <summary>What the pipeline tracks of the delivery it retries, and tells its owner through.</summary>
    public static readonly ResiliencePropertyKey<DeliveryProgress> Progress = new("payments.webhook.delivery");

    public static ResiliencePipeline<AttemptResult> Pipeline(WebhookOptions options, TimeProvider time) =>
        new ResiliencePipelineBuilder<AttemptResult> { TimeProvider = time }
            .AddRetry(new RetryStrategyOptions<AttemptResult>
            {
                MaxRetryAttempts = int.MaxValue,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = options.FirstRetryDelay,
                MaxDelay = options.MaxRetryDelay,
                ShouldHandle = args => ValueTask.FromResult(
                    args.Outcome.Result is { Succeeded: false } failed
                    && failed.AttemptedAt - Of(args.Context).FirstFailedAt < options.GiveUpAfter),
                OnRetry = args =>
                {
                    Of(args.Context).Retrying(args.Outcome.Result!, args.RetryDelay);
                    return ValueTask.CompletedTask;
                },
            })
            .Build();

    private static DeliveryProgress Of(ResilienceContext context) => context.Properties.GetValue(Progress, null!);
}

/// <summary>
/// One event's attempts so far: when it first failed, and a callback per failed attempt that will be retried (with
/// when the next one is due), so the worker records it and decides whether the event still holds its account back.
/// </summary>
public sealed class DeliveryProgress(DateTimeOffset? firstFailedAt, Action<AttemptResult, TimeSpan> retrying)
{
    public DateTimeOffset? FailedSince { get; private set; } = firstFailedAt;

    public DateTimeOffset FirstFailedAt => FailedSince ?? DateTimeOffset.MaxValue;

    /// <summary>Called after every attempt, before the pipeline decides on a retry.</summary>
    public void Attempted(AttemptResult result)
    {
        if (!result.Succeeded)
        {
            FailedSince ??= result.AttemptedAt;
        }
    }

    public void Retrying(AttemptResult result, TimeSpan delay) => retrying(result, delay);
}
