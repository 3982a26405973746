using Microsoft.AspNetCore.Http;
using Payments.Api.Routing;
using Payments.Routing.Tests.Fakes;

namespace Payments.Routing.Tests;

/// <summary>Whether a call may be repeated on another cluster follows from the request, in one place.</summary>
public sealed class RetrySafetyTests
{
    [Fact]
    public void Read_may_be_repeated_on_another_cluster()
    {
        Assert.Equal(Retry.OnAnotherCluster, RetrySafety.Of(Requests.Read()));
    }

    [Fact]
    public void Write_with_an_idempotency_key_to_a_deduplicating_endpoint_may_be_repeated()
    {
        Assert.Equal(Retry.OnAnotherCluster, RetrySafety.Of(Requests.KeyedWrite()));
    }

    [Fact]
    public void Write_without_an_idempotency_key_is_tried_once()
    {
        Assert.Equal(Retry.Never, RetrySafety.Of(Requests.Write(HttpMethods.Post, idempotencyKey: null)));
    }

    [Fact]
    public void Write_with_a_malformed_idempotency_key_is_tried_once()
    {
        Assert.Equal(Retry.Never, RetrySafety.Of(Requests.Write(HttpMethods.Post, idempotencyKey: "bad\u0001key")));
    }

    [Theory]
    [InlineData("POST")]
    [InlineData("PATCH")]
    [InlineData("PUT")]
    public void Write_to_an_endpoint_that_does_not_deduplicate_is_tried_once_even_with_a_key(string method)
    {
        Assert.Equal(Retry.Never, RetrySafety.Of(Requests.UndeduplicatedWrite(method, "key-0001")));
    }
}
