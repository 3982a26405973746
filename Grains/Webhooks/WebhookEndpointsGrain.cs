using System.Security.Cryptography;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Concurrency;
using Payments.Contracts;
using Payments.Events;

namespace Payments.Webhooks;

/// <summary>
/// The webhook endpoints' API on the silo side: stateless, the state is in the shared store. New endpoints start at
/// the feed's head (they receive what commits from now on). Without PostgreSQL or a secret key, everything answers
/// <see cref="WebhookOutcome.Unavailable"/>.
/// </summary>
[StatelessWorker]
public sealed class WebhookEndpointsGrain(
    IServiceProvider services, IEventFeedStore feed, LedgerEvents events, UrlPolicy policy, WebhookSender sender, TimeProvider time)
    : Grain, IWebhookEndpointsGrain
{
    private readonly IWebhookStore? _store = services.GetService<IWebhookStore>();
    private readonly SecretBox? _secrets = services.GetService<SecretBox>();

    public async Task<WebhookEndpointResult> CreateAsync(NewWebhookEndpoint endpoint)
    {
        if (_store is null || _secrets is null)
        {
            return new(WebhookOutcome.Unavailable, null, null, null);
        }

        if (await policy.RefusalAsync(endpoint.Url, CancellationToken.None) is { } refusal)
        {
            return new(WebhookOutcome.Invalid, null, null, ValidationErrors.Of("url", refusal));
        }

        var secret = WebhookSignature.NewSecret();
        var now = time.GetUtcNow();
        var stored = new StoredEndpoint(
            "we_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(12)), endpoint.Url, endpoint.Types, endpoint.Description,
            _secrets.Seal(secret), WebhookEndpointStatus.Enabled, now, now, await feed.HeadAsync(CancellationToken.None));
        await _store.CreateAsync(stored, CancellationToken.None);
        return new(WebhookOutcome.Done, stored.ToView(), secret, null);
    }

    public async Task<WebhookEndpointList> ListAsync() => _store is null
        ? new(WebhookOutcome.Unavailable, [])
        : new(WebhookOutcome.Done, (await _store.ListAsync(CancellationToken.None)).Select(e => e.ToView()).ToList());

    public async Task<WebhookEndpointResult> GetAsync(string endpointId) => _store is null
        ? new(WebhookOutcome.Unavailable, null, null, null)
        : Found(await _store.GetAsync(endpointId, CancellationToken.None));

    public async Task<WebhookEndpointResult> UpdateAsync(string endpointId, WebhookEndpointChange change)
    {
        if (_store is null)
        {
            return new(WebhookOutcome.Unavailable, null, null, null);
        }

        if (change.Url is not null && await policy.RefusalAsync(change.Url, CancellationToken.None) is { } refusal)
        {
            return new(WebhookOutcome.Invalid, null, null, ValidationErrors.Of("url", refusal));
        }

        return Found(await _store.UpdateAsync(endpointId, change, time.GetUtcNow(), CancellationToken.None));
    }

    public async Task<WebhookOutcome> DeleteAsync(string endpointId) => _store is null
        ? WebhookOutcome.Unavailable
        : await _store.DeleteAsync(endpointId, CancellationToken.None) ? WebhookOutcome.Done : WebhookOutcome.EndpointNotFound;

    public async Task<DeliveryPage> ListDeliveriesAsync(string endpointId, int limit, long? beforeDeliveryId)
    {
        if (_store is null)
        {
            return new(WebhookOutcome.Unavailable, [], null);
        }

        if (await _store.GetAsync(endpointId, CancellationToken.None) is null)
        {
            return new(WebhookOutcome.EndpointNotFound, [], null);
        }

        var attempts = await _store.ListAttemptsAsync(endpointId, limit + 1, beforeDeliveryId, CancellationToken.None);
        var page = attempts.Take(limit).ToList();
        return new(WebhookOutcome.Done, page.ConvertAll(a => a.ToContract()), attempts.Count > limit ? page[^1].AttemptId : null);
    }

    public async Task<DeliveryRetryResult> RetryAsync(string endpointId, long deliveryId)
    {
        if (_store is null || _secrets is null)
        {
            return new(WebhookOutcome.Unavailable, null);
        }

        if (await _store.GetAsync(endpointId, CancellationToken.None) is not { } endpoint)
        {
            return new(WebhookOutcome.EndpointNotFound, null);
        }

        if (await _store.GetAttemptAsync(endpointId, deliveryId, CancellationToken.None) is not { } attempt
            || await feed.FindAsync(attempt.AccountId, attempt.Seq, CancellationToken.None) is not { } row)
        {
            return new(WebhookOutcome.DeliveryNotFound, null);
        }

        var feedEvent = await events.ToEventAsync(row, CancellationToken.None);
        var key = WebhookSignature.KeyOf(_secrets.Open(endpoint.SealedSecret));
        var result = await sender.SendAsync(endpoint.Url, key, feedEvent, time.GetUtcNow(), CancellationToken.None);
        var recorded = new StoredAttempt(endpointId, 0, feedEvent.Id, feedEvent.AccountId, feedEvent.Seq, result.AttemptedAt,
            result.HttpStatus, result.Error, (long)result.Duration.TotalMilliseconds, null);
        var ids = await _store.RecordAttemptsAsync([recorded], CancellationToken.None);
        return new(WebhookOutcome.Done, (recorded with { AttemptId = ids.Count > 0 ? ids[0] : 0 }).ToContract());
    }

    private static WebhookEndpointResult Found(StoredEndpoint? endpoint) => endpoint is null
        ? new(WebhookOutcome.EndpointNotFound, null, null, null)
        : new(WebhookOutcome.Done, endpoint.ToView(), null, null);
}
