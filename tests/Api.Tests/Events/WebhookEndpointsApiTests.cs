using System.Net;
using System.Net.Http.Json;

namespace Payments.Api.Tests.Events;

/// <summary>
/// The webhook endpoints API where its silo has no PostgreSQL (the API tests' cluster): every operation answers the
/// contract's 503 <c>unavailable</c> with <c>Retry-After</c>, and says why. The operations themselves run on the real
/// store in the integration tests (tests/Integration.Tests/Events).
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class WebhookEndpointsApiTests(ApiFixture fixture)
{
    private readonly HttpClient _admin = fixture.Client(ApiFixture.AdminKey);

    public static TheoryData<string, string> Operations => new()
    {
        { "POST", "/v1/webhook-endpoints" },
        { "GET", "/v1/webhook-endpoints" },
        { "GET", "/v1/webhook-endpoints/we_0123" },
        { "PATCH", "/v1/webhook-endpoints/we_0123" },
        { "DELETE", "/v1/webhook-endpoints/we_0123" },
        { "GET", "/v1/webhook-endpoints/we_0123/deliveries" },
        { "POST", "/v1/webhook-endpoints/we_0123/deliveries/17/retry" },
    };

    [Theory]
    [MemberData(nameof(Operations))]
    public async Task Without_a_webhook_store_every_operation_answers_503_unavailable_with_retry_after(string method, string path)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (method is "POST" or "PATCH" && !path.EndsWith("/retry", StringComparison.Ordinal))
        {
            request.Content = JsonContent.Create(new { url = "https://hooks.example.com/payments", types = new[] { "payment.*" }, description = "fraud" });
        }

        var response = await _admin.SendAsync(request);

        var problem = await response.AssertProblemAsync(HttpStatusCode.ServiceUnavailable, "unavailable");
        Assert.NotNull(response.Headers.RetryAfter);
        Assert.Contains("Payments:Webhooks:SecretKey", (string?)problem["detail"]);
    }
}
