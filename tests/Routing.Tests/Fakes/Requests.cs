using Microsoft.AspNetCore.Http;
using RequestContext = Payments.Api.Apis.RequestContext;
using Payments.Api.Routing;

namespace Payments.Routing.Tests.Fakes;

/// <summary>HTTP requests as the router sees them: a method, an Idempotency-Key or none, and the endpoint's metadata.</summary>
public static class Requests
{
    public static HttpContext Read() => Build(HttpMethods.Get, null, deduplicating: false);

    /// <summary>A payment with its Idempotency-Key on an endpoint that deduplicates by it.</summary>
    public static HttpContext KeyedWrite() => Build(HttpMethods.Post, "pay-0001", deduplicating: true);

    /// <summary>A write to an endpoint that deduplicates by Idempotency-Key (a payment, a deposit), with or without one.</summary>
    public static HttpContext Write(string method, string? idempotencyKey) => Build(method, idempotencyKey, deduplicating: true);

    /// <summary>A write to an endpoint whose grain does not deduplicate (opening an account, a PATCH, a rules PUT).</summary>
    public static HttpContext UndeduplicatedWrite(string method, string? idempotencyKey) => Build(method, idempotencyKey, deduplicating: false);

    private static DefaultHttpContext Build(string method, string? idempotencyKey, bool deduplicating)
    {
        var context = new DefaultHttpContext();
        context.Request.Method = method;
        if (idempotencyKey is not null)
        {
            context.Request.Headers[RequestContext.IdempotencyKeyHeader] = idempotencyKey;
        }

        var metadata = deduplicating ? new EndpointMetadataCollection(RetrySafety.IdempotencyKeyedWrite.Instance) : EndpointMetadataCollection.Empty;
        context.SetEndpoint(new Endpoint(null, metadata, $"{method} test endpoint"));
        return context;
    }
}
