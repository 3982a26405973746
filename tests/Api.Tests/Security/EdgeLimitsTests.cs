using System.Net;
using System.Text;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Payments.Api.Hosting;

namespace Payments.Api.Tests;

/// <summary>What protects the API before any handler runs: body size, per-key rate, concurrency, request time, unknown routes.</summary>
[Collection(ApiCollection.Name)]
public sealed class EdgeLimitsTests(ApiFixture fixture)
{
    private const int TenMegabytes = 10 * 1024 * 1024;
    private readonly HttpClient _admin = fixture.Client(ApiFixture.AdminKey);
    private readonly HttpClient _terminal = fixture.Client(ApiFixture.TerminalKey);

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Ten_megabyte_body_is_too_large_and_records_nothing(bool chunked)
    {
        var accountId = await _admin.CreateAccountAsync();

        var response = await _terminal.PostAsync($"/v1/accounts/{accountId}/payments", new LargeContent(TenMegabytes, chunked));

        await response.AssertProblemAsync(HttpStatusCode.RequestEntityTooLarge, "payload_too_large");
        Assert.Equal(1, (long?)(await _admin.GetAccountAsync(accountId))["version"]);
    }

    [Fact]
    public async Task Body_just_under_the_limit_is_read()
    {
        var accountId = await _admin.CreateAccountAsync();
        var json = "{\"amount\":100,\"currency\":\"EUR\",\"merchant\":\"Shop\",\"mcc\":\"5411\"}";
        var padded = json + new string(' ', 60 * 1024);

        var response = await _terminal.PostAsync($"/v1/accounts/{accountId}/payments", new StringContent(padded, Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
    }

    [Fact]
    public async Task Key_over_its_rate_is_told_to_retry_later_while_other_keys_go_on()
    {
        using var limited = WithRateLimit("Terminal", 3);
        var accountId = await _admin.CreateAccountAsync();
        var busy = Client(limited, ApiFixture.TerminalKey);

        var answers = new List<HttpResponseMessage>();
        for (var i = 0; i < 5; i++)
        {
            answers.Add(await busy.GetAsync($"/v1/accounts/{accountId}"));
        }

        var other = await Client(limited, ApiFixture.AdminKey).GetAsync($"/v1/accounts/{accountId}");

        Assert.All(answers.Take(3), r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        foreach (var rejected in answers.Skip(3))
        {
            await rejected.AssertProblemAsync(HttpStatusCode.TooManyRequests, "rate_limited");
            Assert.True(rejected.Headers.RetryAfter?.Delta >= TimeSpan.FromSeconds(1));
        }

        Assert.Equal(HttpStatusCode.OK, other.StatusCode);
    }

    [Fact]
    public async Task Health_probes_are_never_rate_limited()
    {
        using var limited = WithRateLimit("Anonymous", 1);
        var anonymous = limited.CreateClient();
        await anonymous.GetAsync("/v1/accounts/acc-1");

        var flooded = await anonymous.GetAsync("/v1/accounts/acc-1");
        var live = await anonymous.GetAsync("/health/live");
        var ready = await anonymous.GetAsync("/health/ready");

        await flooded.AssertProblemAsync(HttpStatusCode.TooManyRequests, "rate_limited");
        Assert.Equal((HttpStatusCode.OK, HttpStatusCode.OK), (live.StatusCode, ready.StatusCode));
    }

    [Fact]
    public async Task Request_that_outlasts_its_timeout_is_unavailable_with_retry_after()
    {
        using var impatient = fixture.Factory.WithWebHostBuilder(web => web.UseSetting("Payments:Security:RequestTimeout", "00:00:01"));

        var response = await Client(impatient, ApiFixture.AdminKey).GetAsync($"/v1/accounts/{FaultyAccountsLedger.Prefix}{Guid.NewGuid():N}");

        var problem = await response.AssertProblemAsync(HttpStatusCode.ServiceUnavailable, "unavailable");
        Assert.Contains("did not complete in time", (string?)problem["detail"]);
        Assert.NotNull(response.Headers.RetryAfter);
    }

    [Fact]
    public async Task Past_the_concurrency_limit_a_payment_is_shed_with_retry_after_and_records_nothing()
    {
        using var narrow = fixture.Factory.WithWebHostBuilder(web => web.UseSetting("Payments:LoadShedding:MaxConcurrentRequests", "1"));
        var admin = Client(narrow, ApiFixture.AdminKey);
        var terminal = Client(narrow, ApiFixture.TerminalKey);
        var accountId = await admin.CreateAccountAsync();
        var shedding = narrow.Services.GetRequiredService<LoadShedding>();
        // A read whose account takes seconds to activate holds the only place.
        var slow = admin.GetAsync($"/v1/accounts/{FaultyAccountsLedger.Prefix}{Guid.NewGuid():N}");
        await WaitUntilAsync(() => shedding.InProgress == 1);

        var shed = await terminal.PayAsync(accountId, 100, "shed-1");
        var ready = await admin.GetAsync("/health/ready");
        await slow;
        // The server frees the place once the read's response is written, which the client may see a moment before.
        await WaitUntilAsync(() => shedding.InProgress == 0);
        var retried = await terminal.PayAsync(accountId, 100, "shed-1");

        var problem = await shed.AssertProblemAsync(HttpStatusCode.ServiceUnavailable, "unavailable");
        Assert.Contains("nothing was recorded", (string?)problem["detail"]);
        Assert.NotNull(shed.Headers.RetryAfter);
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        Assert.Equal(HttpStatusCode.Created, retried.StatusCode);
        Assert.Equal(2, (long?)(await admin.GetAccountAsync(accountId))["version"]);
    }

    [Fact]
    public async Task Unknown_path_and_wrong_method_are_problems_with_codes()
    {
        var unknown = await _admin.GetAsync("/v1/nothing-here");
        var wrongMethod = await _admin.DeleteAsync($"/v1/accounts/{ApiCalls.NewAccountId()}");

        await unknown.AssertProblemAsync(HttpStatusCode.NotFound, "not_found");
        await wrongMethod.AssertProblemAsync(HttpStatusCode.MethodNotAllowed, "method_not_allowed");
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        for (var waited = 0; !condition() && waited < 500; waited++)
        {
            await Task.Delay(10);
        }
    }

    /// <summary>The API with <paramref name="permits"/> requests per hour for <paramref name="role"/>: no refill during a test.</summary>
    private WebApplicationFactory<Program> WithRateLimit(string role, int permits) => fixture.Factory.WithWebHostBuilder(web =>
    {
        web.UseSetting($"Payments:Security:RateLimits:{role}", permits.ToString(System.Globalization.CultureInfo.InvariantCulture));
        web.UseSetting("Payments:Security:RateLimits:Period", "01:00:00");
    });

    private static HttpClient Client(WebApplicationFactory<Program> factory, string key)
    {
        var client = factory.CreateClient();
        client.DefaultRequestHeaders.Authorization = new("Bearer", key);
        return client;
    }
}
