using Payments.Contracts;

namespace Payments.Webhooks;

/// <summary>
/// The webhook endpoints, their attempts and their workers' progress. A worker's writes carry its lease: one whose
/// lease was taken over (another silo, another region) writes nothing.
/// </summary>
public interface IWebhookStore
{
    Task CreateAsync(StoredEndpoint endpoint, CancellationToken cancellationToken);

    Task<IReadOnlyList<StoredEndpoint>> ListAsync(CancellationToken cancellationToken);

    Task<StoredEndpoint?> GetAsync(string endpointId, CancellationToken cancellationToken);

    /// <summary>Applies the fields set; enabling restarts the 3 days of the endpoint's parked events. Null when there is no such endpoint.</summary>
    Task<StoredEndpoint?> UpdateAsync(string endpointId, WebhookEndpointChange change, DateTimeOffset now, CancellationToken cancellationToken);

    Task<bool> DeleteAsync(string endpointId, CancellationToken cancellationToken);

    /// <summary>Attempts newest first, before <paramref name="beforeAttemptId"/> when given.</summary>
    Task<IReadOnlyList<StoredAttempt>> ListAttemptsAsync(string endpointId, int limit, long? beforeAttemptId, CancellationToken cancellationToken);

    Task<StoredAttempt?> GetAttemptAsync(string endpointId, long attemptId, CancellationToken cancellationToken);

    /// <summary>Records attempts (of endpoints that still exist) and returns their ids.</summary>
    Task<IReadOnlyList<long>> RecordAttemptsAsync(IReadOnlyList<StoredAttempt> attempts, CancellationToken cancellationToken);

    /// <summary>The enabled endpoints whose lease is free or expired.</summary>
    Task<IReadOnlyList<string>> ListUnownedAsync(CancellationToken cancellationToken);

    /// <summary>Takes an enabled endpoint whose lease is free or expired; null when someone else holds it.</summary>
    Task<EndpointLease?> TryAcquireAsync(string endpointId, string owner, TimeSpan duration, CancellationToken cancellationToken);

    /// <summary>Extends the lease and reads the endpoint again; null when the lease was lost or the endpoint deleted.</summary>
    Task<StoredEndpoint?> RenewAsync(EndpointLease lease, TimeSpan duration, CancellationToken cancellationToken);

    /// <summary>Frees the lease so that another owner need not wait for it to expire.</summary>
    Task ReleaseAsync(EndpointLease lease, CancellationToken cancellationToken);

    /// <summary>Moves the endpoint's cursor; false when the lease was lost.</summary>
    Task<bool> SaveCursorAsync(EndpointLease lease, FeedPosition cursor, CancellationToken cancellationToken);

    /// <summary>Records an event that stopped holding its account back; false when the lease was lost.</summary>
    Task<bool> ParkAsync(EndpointLease lease, ParkedEvent parked, CancellationToken cancellationToken);

    Task UnparkAsync(string endpointId, string accountId, long seq, CancellationToken cancellationToken);

    Task<IReadOnlyList<ParkedEvent>> ListParkedAsync(string endpointId, CancellationToken cancellationToken);

    /// <summary>Disables the endpoint after 3 days of failures and frees its lease; false when the lease was lost.</summary>
    Task<bool> DisableAsync(EndpointLease lease, DateTimeOffset now, CancellationToken cancellationToken);
}

/// <summary>An endpoint as stored: the secret sealed by <see cref="SecretBox"/>, the cursor of its worker.</summary>
public sealed record StoredEndpoint(
    string Id, string Url, IReadOnlyList<string> Types, string Description, byte[] SealedSecret, WebhookEndpointStatus Status,
    DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt, FeedPosition Cursor)
{
    public WebhookEndpointView ToView() => new(Id, Url, Types, Description, Status, CreatedAt, UpdatedAt);
}

/// <summary>An owner's hold on an endpoint; <see cref="Token"/> grows with every new owner and fences its writes.</summary>
public sealed record EndpointLease(string Owner, long Token, StoredEndpoint Endpoint)
{
    public string EndpointId => Endpoint.Id;
}

/// <summary>One attempt; <see cref="AttemptId"/> is 0 until recorded.</summary>
public sealed record StoredAttempt(
    string EndpointId, long AttemptId, string EventId, string AccountId, long Seq, DateTimeOffset AttemptedAt, int? HttpStatus,
    string? Error, long DurationMs, DateTimeOffset? NextAttemptAt)
{
    public DeliveryAttempt ToContract() => new(
        AttemptId.ToString(System.Globalization.CultureInfo.InvariantCulture), EventId, AttemptedAt, HttpStatus, Error, DurationMs, NextAttemptAt);
}

/// <summary>An event that failed for over an hour and is retried apart from its account's order.</summary>
public sealed record ParkedEvent(string AccountId, long Seq, DateTimeOffset FirstFailedAt);
