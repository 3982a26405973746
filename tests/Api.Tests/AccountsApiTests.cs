using System.Net;
using System.Net.Http.Json;

namespace Payments.Api.Tests;

[Collection(ApiCollection.Name)]
public sealed class AccountsApiTests(ApiFixture fixture)
{
    private readonly HttpClient _admin = fixture.Client(ApiFixture.AdminKey);

    [Fact]
    public async Task Created_account_has_the_contract_view_and_a_location()
    {
        var id = ApiCalls.NewAccountId();

        var response = await _admin.PostAsJsonAsync("/v1/accounts", new
        {
            accountId = id, region = "region-a", currency = "EUR", initialBalance = 100000,
            limits = new { perPayment = 40000, daily = 90000 },
        });

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal($"/v1/accounts/{id}", response.Headers.Location?.ToString());
        var view = await response.JsonAsync();
        Assert.Equal(id, (string?)view["accountId"]);
        Assert.Equal("region-a", (string?)view["region"]);
        Assert.Equal("EUR", (string?)view["currency"]);
        Assert.Equal("active", (string?)view["status"]);
        Assert.Equal(100000, (long?)view["balance"]);
        Assert.Equal(40000, (long?)view["limits"]!["perPayment"]);
        Assert.Equal(90000, (long?)view["limits"]!["daily"]!["limit"]);
        Assert.Equal(0, (long?)view["limits"]!["daily"]!["spent"]);
        Assert.Equal(300000, (long?)view["limits"]!["weekly"]!["limit"]);
        var periodStart = DateTimeOffset.Parse((string)view["limits"]!["daily"]!["periodStart"]!);
        var resetsAt = DateTimeOffset.Parse((string)view["limits"]!["daily"]!["resetsAt"]!);
        Assert.InRange((resetsAt - periodStart).TotalHours, 23, 25);
    }

    [Fact]
    public async Task Taken_account_id_is_a_conflict()
    {
        var id = await _admin.CreateAccountAsync();

        var again = await _admin.PostAsJsonAsync("/v1/accounts", new { accountId = id, region = "region-a", currency = "EUR", initialBalance = 5 });

        await again.AssertProblemAsync(HttpStatusCode.Conflict, "account_exists");
        Assert.Equal(100000, (long?)(await _admin.GetAccountAsync(id))["balance"]);
    }

    [Fact]
    public async Task Unknown_region_is_not_found()
    {
        var response = await _admin.PostAsJsonAsync("/v1/accounts",
            new { accountId = ApiCalls.NewAccountId(), region = "region-z", currency = "EUR", initialBalance = 5 });

        await response.AssertProblemAsync(HttpStatusCode.NotFound, "unknown_region");
    }

    [Theory]
    [InlineData("bad id!", "EUR", 100, "accountId")]
    [InlineData("ok-id", "EURO", 100, "currency")]
    [InlineData("ok-id", "XXZ", 100, "currency")]
    [InlineData("ok-id", "EUR", -1, "initialBalance")]
    public async Task Malformed_account_is_refused_and_not_created(string id, string currency, long balance, string field)
    {
        var accountId = id == "ok-id" ? ApiCalls.NewAccountId() : id;

        var response = await _admin.PostAsJsonAsync("/v1/accounts",
            new { accountId, region = "region-a", currency, initialBalance = balance });

        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest, "validation_failed");
        Assert.NotNull(problem["errors"]![field]);
        if (id == "ok-id")
        {
            await (await _admin.GetAsync($"/v1/accounts/{accountId}")).AssertProblemAsync(HttpStatusCode.NotFound, "account_not_found");
        }
    }

    [Fact]
    public async Task Missing_account_is_not_found()
    {
        var response = await _admin.GetAsync($"/v1/accounts/{ApiCalls.NewAccountId()}");

        await response.AssertProblemAsync(HttpStatusCode.NotFound, "account_not_found");
    }

    [Fact]
    public async Task Patch_changes_limits_and_status()
    {
        var id = await _admin.CreateAccountAsync();

        var response = await _admin.PatchAsJsonAsync($"/v1/accounts/{id}", new { limits = new { daily = 5000 }, status = "frozen" });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var view = await response.JsonAsync();
        Assert.Equal("frozen", (string?)view["status"]);
        Assert.Equal(5000, (long?)view["limits"]!["daily"]!["limit"]);
        Assert.Equal(50000, (long?)view["limits"]!["perPayment"]);
        Assert.Equal(2, (long?)view["version"]);
    }

    [Fact]
    public async Task Patch_with_unknown_status_is_refused()
    {
        var id = await _admin.CreateAccountAsync();

        var response = await _admin.PatchAsJsonAsync($"/v1/accounts/{id}", new { status = "sleeping" });

        await response.AssertProblemAsync(HttpStatusCode.BadRequest, "validation_failed");
        Assert.Equal("active", (string?)(await _admin.GetAccountAsync(id))["status"]);
    }

    [Fact]
    public async Task Deposit_credits_and_replays_with_the_same_key()
    {
        var id = await _admin.CreateAccountAsync(initialBalance: 1000);
        var body = new { amount = 50000, currency = "EUR", reference = "salary-2026-11" };
        var request = () => new HttpRequestMessage(HttpMethod.Post, $"/v1/accounts/{id}/deposits")
        {
            Content = JsonContent.Create(body),
            Headers = { { "Idempotency-Key", "dep-1" } },
        };

        var first = await _admin.SendAsync(request());
        var second = await _admin.SendAsync(request());

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        var deposit = await first.JsonAsync();
        Assert.Equal("dep-1", (string?)deposit["depositId"]);
        Assert.Equal(51000, (long?)deposit["balanceAfter"]);
        Assert.Equal("region-a", (string?)deposit["decidedBy"]);
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        Assert.Equal("true", second.Headers.GetValues("Idempotent-Replayed").Single());
        Assert.Equal(deposit.ToJsonString(), (await second.JsonAsync()).ToJsonString());
        Assert.Equal(51000, (long?)(await _admin.GetAccountAsync(id))["balance"]);
    }
}
