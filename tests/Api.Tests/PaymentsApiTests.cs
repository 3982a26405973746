using System.Net;
using System.Net.Http.Json;

namespace Payments.Api.Tests;

[Collection(ApiCollection.Name)]
public sealed class PaymentsApiTests(ApiFixture fixture)
{
    private readonly HttpClient _admin = fixture.Client(ApiFixture.AdminKey);
    private readonly HttpClient _terminal = fixture.Client(ApiFixture.TerminalKey);

    [Fact]
    public async Task Approved_payment_has_every_contract_field()
    {
        var id = await _admin.CreateAccountAsync();

        var response = await _terminal.PayAsync(id, 1250, key: "pay-approved-1");

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var payment = await response.JsonAsync();
        Assert.Equal("pay-approved-1", (string?)payment["paymentId"]);
        Assert.Equal(id, (string?)payment["accountId"]);
        Assert.Equal(1250, (long?)payment["amount"]);
        Assert.Equal("EUR", (string?)payment["currency"]);
        Assert.Equal("Boulangerie du Port", (string?)payment["merchant"]);
        Assert.Equal("5411", (string?)payment["mcc"]);
        Assert.Equal("approved", (string?)payment["status"]);
        Assert.True(payment.ContainsKey("declineReason"));
        Assert.Null(payment["declineReason"]);
        Assert.Equal(98750, (long?)payment["balanceAfter"]);
        Assert.Equal("region-a", (string?)payment["decidedBy"]);
        Assert.True(DateTimeOffset.TryParse((string?)payment["createdAt"], out _));
        var view = await _terminal.GetAccountAsync(id);
        Assert.Equal(98750, (long?)view["balance"]);
        Assert.Equal(1250, (long?)view["limits"]!["daily"]!["spent"]);
        Assert.Equal(1250, (long?)view["limits"]!["monthly"]!["spent"]);
    }

    [Fact]
    public async Task Retry_with_the_same_key_and_body_replays_the_stored_payment()
    {
        var id = await _admin.CreateAccountAsync();
        var first = await (await _terminal.PayAsync(id, 700, key: "retry-1")).JsonAsync();

        var retry = await _terminal.PayAsync(id, 700, key: "retry-1");

        Assert.Equal(HttpStatusCode.OK, retry.StatusCode);
        Assert.Equal("true", retry.Headers.GetValues("Idempotent-Replayed").Single());
        Assert.Equal(first.ToJsonString(), (await retry.JsonAsync()).ToJsonString());
        Assert.Equal(99300, (long?)(await _terminal.GetAccountAsync(id))["balance"]);
    }

    [Fact]
    public async Task Same_key_with_another_body_is_refused()
    {
        var id = await _admin.CreateAccountAsync();
        await _terminal.PayAsync(id, 700, key: "reused-1");

        var response = await _terminal.PayAsync(id, 701, key: "reused-1");

        await response.AssertProblemAsync(HttpStatusCode.UnprocessableEntity, "idempotency_key_reused");
        Assert.Equal(99300, (long?)(await _terminal.GetAccountAsync(id))["balance"]);
    }

    public static TheoryData<long, string, string, string, string> MalformedPayments() => new()
    {
        { 0, "EUR", "Shop", "5411", "amount" },
        { -5, "EUR", "Shop", "5411", "amount" },
        { 1_000_001, "EUR", "Shop", "5411", "amount" },
        { 100, "EURO", "Shop", "5411", "currency" },
        { 100, "ABC", "Shop", "5411", "currency" },
        { 100, "EUR", "Shop", "541", "mcc" },
        { 100, "EUR", "Shop", "54a1", "mcc" },
        { 100, "EUR", "", "5411", "merchant" },
        { 100, "EUR", new string('m', 101), "5411", "merchant" },
        { 100, "EUR", "Shop\u0000", "5411", "merchant" },
    };

    [Theory]
    [MemberData(nameof(MalformedPayments))]
    public async Task Malformed_payment_is_refused_and_records_nothing(long amount, string currency, string merchant, string mcc, string field)
    {
        var id = await _admin.CreateAccountAsync();

        var response = await _terminal.PayAsync(id, amount, key: "bad-1", mcc: mcc, currency: currency, merchant: merchant);

        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest, "validation_failed");
        Assert.NotNull(problem["errors"]![field]);
        var history = await (await _terminal.GetAsync($"/v1/accounts/{id}/payments")).JsonAsync();
        Assert.Empty(history["items"]!.AsArray());
        Assert.Equal(1, (long?)(await _terminal.GetAccountAsync(id))["version"]);
    }

    [Fact]
    public async Task Malformed_json_is_a_validation_problem()
    {
        var id = await _admin.CreateAccountAsync();

        var response = await _terminal.PostAsync($"/v1/accounts/{id}/payments",
            new StringContent("{\"amount\": \"12\", ", System.Text.Encoding.UTF8, "application/json"));

        await response.AssertProblemAsync(HttpStatusCode.BadRequest, "validation_failed");
    }

    [Fact]
    public async Task Payment_to_a_missing_account_is_not_found()
    {
        var response = await _terminal.PayAsync(ApiCalls.NewAccountId(), 100);

        await response.AssertProblemAsync(HttpStatusCode.NotFound, "account_not_found");
    }

    [Fact]
    public async Task History_is_newest_first_and_cursor_paged()
    {
        var id = await _admin.CreateAccountAsync();
        for (var i = 1; i <= 5; i++)
        {
            await _terminal.PayAsync(id, i * 100, key: $"hist-{i}");
        }

        var first = await (await _terminal.GetAsync($"/v1/accounts/{id}/payments?limit=2")).JsonAsync();
        var second = await (await _terminal.GetAsync($"/v1/accounts/{id}/payments?limit=2&before={first["next"]}")).JsonAsync();
        var third = await (await _terminal.GetAsync($"/v1/accounts/{id}/payments?limit=2&before={second["next"]}")).JsonAsync();

        Assert.Equal(["hist-5", "hist-4"], first["items"]!.AsArray().Select(p => (string)p!["paymentId"]!));
        Assert.Equal(["hist-3", "hist-2"], second["items"]!.AsArray().Select(p => (string)p!["paymentId"]!));
        Assert.Equal(["hist-1"], third["items"]!.AsArray().Select(p => (string)p!["paymentId"]!));
        Assert.Null(third["next"]);
    }

    [Fact]
    public async Task One_payment_is_read_by_id()
    {
        var id = await _admin.CreateAccountAsync();
        await _terminal.PayAsync(id, 300, key: "one-1");

        var found = await _admin.GetAsync($"/v1/payments/one-1?accountId={id}");
        var missing = await _admin.GetAsync($"/v1/payments/none?accountId={id}");

        Assert.Equal(HttpStatusCode.OK, found.StatusCode);
        Assert.Equal(300, (long?)(await found.JsonAsync())["amount"]);
        await missing.AssertProblemAsync(HttpStatusCode.NotFound, "payment_not_found");
    }

    [Fact]
    public async Task Concurrent_payments_through_the_api_never_overspend()
    {
        var id = await _admin.CreateAccountAsync(initialBalance: 60_000, limits: new { perPayment = 50000, daily = 45_000 });
        var random = new Random(7);
        var amounts = Enumerable.Range(0, 200).Select(_ => (long)random.Next(1, 2_000)).ToArray();

        var responses = await Task.WhenAll(amounts.Select((amount, i) => _terminal.PayAsync(id, amount, key: $"c-{i}")));
        var payments = await Task.WhenAll(responses.Select(r => r.JsonAsync()));

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.Created, r.StatusCode));
        var approved = payments.Where(p => (string?)p["status"] == "approved").Sum(p => (long)p["amount"]!);
        Assert.InRange(approved, 1, 45_000);
        Assert.Equal(60_000 - approved, (long?)(await _admin.GetAccountAsync(id))["balance"]);
        Assert.Contains(payments, p => (string?)p["declineReason"] == "daily_limit_exceeded");
    }
}
