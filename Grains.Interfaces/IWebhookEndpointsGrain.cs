using Payments.Contracts;

namespace Payments;

/// <summary>The webhook endpoints and their delivery attempts (key 0), on any silo: the state is in the shared store.</summary>
public interface IWebhookEndpointsGrain : IGrainWithIntegerKey
{
    /// <summary>Registers an endpoint that receives the events committed from now on; answers its secret once.</summary>
    Task<WebhookEndpointResult> CreateAsync(NewWebhookEndpoint endpoint);

    /// <summary>Every endpoint.</summary>
    Task<WebhookEndpointList> ListAsync();

    /// <summary>One endpoint.</summary>
    Task<WebhookEndpointResult> GetAsync(string endpointId);

    /// <summary>Changes an endpoint's url, types, description or status.</summary>
    Task<WebhookEndpointResult> UpdateAsync(string endpointId, WebhookEndpointChange change);

    /// <summary>Removes an endpoint and its attempts; its worker stops at its next write.</summary>
    Task<WebhookOutcome> DeleteAsync(string endpointId);

    /// <summary>An endpoint's attempts, newest first, before <paramref name="beforeDeliveryId"/> when given.</summary>
    Task<DeliveryPage> ListDeliveriesAsync(string endpointId, int limit, long? beforeDeliveryId);

    /// <summary>Sends the event of an attempt again now, once, and records that attempt.</summary>
    Task<DeliveryRetryResult> RetryAsync(string endpointId, long deliveryId);
}
