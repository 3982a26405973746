using RequestContext = Payments.Api.Apis.RequestContext;

namespace Payments.Api.Routing;

/// <summary>
/// Decides, from the request alone, whether a call that did not reach its cluster may be made again on another one:
/// a read may; a write may only when it carries an Idempotency-Key and its endpoint is one whose grain deduplicates
/// by that key (<see cref="DeduplicatesByIdempotencyKey"/>), so that a first attempt that took effect after all is
/// found rather than repeated. Every other write is tried once. Handlers never choose: the router asks this.
/// </summary>
public static class RetrySafety
{
    public static Retry Of(HttpContext context)
    {
        var request = context.Request;
        if (HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method))
        {
            return Retry.OnAnotherCluster;
        }

        var keyed = context.GetEndpoint()?.Metadata.GetMetadata<IdempotencyKeyedWrite>() is not null
            && RequestContext.IdempotencyKey(request) is { Key: not null };
        return keyed ? Retry.OnAnotherCluster : Retry.Never;
    }

    /// <summary>Marks a write endpoint whose grain call returns the first result when its Idempotency-Key comes again.</summary>
    public static RouteHandlerBuilder DeduplicatesByIdempotencyKey(this RouteHandlerBuilder endpoint) =>
        endpoint.WithMetadata(IdempotencyKeyedWrite.Instance);

    /// <summary>The endpoint metadata that <see cref="DeduplicatesByIdempotencyKey"/> adds.</summary>
    public sealed class IdempotencyKeyedWrite
    {
        public static readonly IdempotencyKeyedWrite Instance = new();

        private IdempotencyKeyedWrite()
        {
        }
    }
}
