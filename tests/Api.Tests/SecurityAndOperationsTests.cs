using System.Net;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace Payments.Api.Tests;

[Collection(ApiCollection.Name)]
public sealed class SecurityAndOperationsTests(ApiFixture fixture)
{
    [Fact]
    public async Task Request_without_a_key_is_unauthenticated()
    {
        var anonymous = fixture.Factory.CreateClient();

        var response = await anonymous.GetAsync("/v1/accounts/acc-1");

        await response.AssertProblemAsync(HttpStatusCode.Unauthorized, "unauthenticated");
    }

    [Fact]
    public async Task Unknown_key_is_unauthenticated()
    {
        var response = await fixture.Client("not-a-key").GetAsync("/v1/accounts/acc-1");

        await response.AssertProblemAsync(HttpStatusCode.Unauthorized, "unauthenticated");
    }

    [Fact]
    public async Task Terminal_cannot_open_accounts()
    {
        var response = await fixture.Client(ApiFixture.TerminalKey).PostAsJsonAsync("/v1/accounts",
            new { accountId = ApiCalls.NewAccountId(), region = "region-a", currency = "EUR", initialBalance = 1 });

        await response.AssertProblemAsync(HttpStatusCode.Forbidden, "forbidden");
    }

    [Fact]
    public async Task Admin_cannot_submit_payments()
    {
        var admin = fixture.Client(ApiFixture.AdminKey);
        var id = await admin.CreateAccountAsync();

        var response = await admin.PayAsync(id, 100);

        await response.AssertProblemAsync(HttpStatusCode.Forbidden, "forbidden");
    }

    [Fact]
    public async Task Health_and_openapi_answer_without_a_key()
    {
        var anonymous = fixture.Factory.CreateClient();

        var live = await anonymous.GetAsync("/health/live");
        var ready = await anonymous.GetAsync("/health/ready");
        var openApi = await anonymous.GetStringAsync("/openapi/v1.json");

        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        Assert.Contains("/v1/accounts/{accountId}/payments", openApi);
        Assert.Contains("CreatePayment", openApi);
    }

    [Theory]
    [InlineData("dev-admin-key", "admin")]
    [InlineData("dev-terminal-key", "terminal")]
    [InlineData("dev-network-key", "network")]
    public void Production_refuses_to_start_with_the_dev_keys(string key, string role)
    {
        using var production = new WebApplicationFactory<Program>().WithWebHostBuilder(web =>
        {
            web.UseEnvironment("Production");
            web.UseSetting("Payments:ApiKeys:0:Name", "leaked");
            web.UseSetting("Payments:ApiKeys:0:Key", key);
            web.UseSetting("Payments:ApiKeys:0:Role", role);
        });

        var error = Assert.Throws<InvalidOperationException>(() => production.CreateClient());

        Assert.Contains("dev API keys", error.Message);
    }
}
