using System.Net;
using System.Net.Http.Json;
using System.Text;

namespace Payments.Api.Tests;

/// <summary>Each kind of malformed input at the edge is a 400 <c>validation_failed</c> that records nothing.</summary>
[Collection(ApiCollection.Name)]
public sealed class HostileInputTests(ApiFixture fixture)
{
    private readonly HttpClient _admin = fixture.Client(ApiFixture.AdminKey);
    private readonly HttpClient _terminal = fixture.Client(ApiFixture.TerminalKey);

    public static TheoryData<string, string> MalformedPaymentBodies() => new()
    {
        { "deep nesting", "{\"amount\":" + new string('[', 64) + new string(']', 64) + ",\"currency\":\"EUR\",\"merchant\":\"Shop\",\"mcc\":\"5411\"}" },
        { "repeated property", "{\"amount\":100,\"amount\":1,\"currency\":\"EUR\",\"merchant\":\"Shop\",\"mcc\":\"5411\"}" },
        { "repeated property in another case", "{\"amount\":100,\"Amount\":1,\"currency\":\"EUR\",\"merchant\":\"Shop\",\"mcc\":\"5411\"}" },
        { "unknown property", "{\"amount\":100,\"currency\":\"EUR\",\"merchant\":\"Shop\",\"mcc\":\"5411\",\"approved\":true}" },
        { "number as a string", "{\"amount\":\"100\",\"currency\":\"EUR\",\"merchant\":\"Shop\",\"mcc\":\"5411\"}" },
        { "number over long", "{\"amount\":92233720368547758070,\"currency\":\"EUR\",\"merchant\":\"Shop\",\"mcc\":\"5411\"}" },
        { "fraction", "{\"amount\":100.5,\"currency\":\"EUR\",\"merchant\":\"Shop\",\"mcc\":\"5411\"}" },
        { "exponent", "{\"amount\":1e2,\"currency\":\"EUR\",\"merchant\":\"Shop\",\"mcc\":\"5411\"}" },
        { "mcc as a number", "{\"amount\":100,\"currency\":\"EUR\",\"merchant\":\"Shop\",\"mcc\":5411}" },
        { "lone surrogate", "{\"amount\":100,\"currency\":\"EUR\",\"merchant\":\"Shop\\ud800\",\"mcc\":\"5411\"}" },
        { "right-to-left override", "{\"amount\":100,\"currency\":\"EUR\",\"merchant\":\"Shop\\u202e\",\"mcc\":\"5411\"}" },
        { "zero-width space", "{\"amount\":100,\"currency\":\"EUR\",\"merchant\":\"\\u200bShop\",\"mcc\":\"5411\"}" },
        { "line separator", "{\"amount\":100,\"currency\":\"EUR\",\"merchant\":\"Shop\\u2028\",\"mcc\":\"5411\"}" },
        { "mcc with a final newline", "{\"amount\":100,\"currency\":\"EUR\",\"merchant\":\"Shop\",\"mcc\":\"5411\\n\"}" },
        { "non-ASCII digits", "{\"amount\":100,\"currency\":\"EUR\",\"merchant\":\"Shop\",\"mcc\":\"\u0665\u0664\u0661\u0661\"}" },
        { "comment", "{\"amount\":100,/* x */\"currency\":\"EUR\",\"merchant\":\"Shop\",\"mcc\":\"5411\"}" },
        { "trailing comma", "{\"amount\":100,\"currency\":\"EUR\",\"merchant\":\"Shop\",\"mcc\":\"5411\",}" },
        { "truncated", "{\"amount\":100,\"currency\":\"EUR\",\"merch" },
        { "JSON null", "null" },
        { "array", "[]" },
        { "empty", "" },
    };

    [Theory]
    [MemberData(nameof(MalformedPaymentBodies))]
    public async Task Malformed_payment_json_is_refused_and_records_nothing(string what, string body)
    {
        var accountId = await _admin.CreateAccountAsync();

        var response = await _terminal.PostAsync($"/v1/accounts/{accountId}/payments", new StringContent(body, Encoding.UTF8, "application/json"));

        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest, "validation_failed");
        Assert.DoesNotContain("Payments.", problem.ToJsonString());
        await AssertUntouchedAsync(accountId, what);
    }

    [Fact]
    public async Task Body_that_is_not_json_is_an_unsupported_media_type()
    {
        var accountId = await _admin.CreateAccountAsync();

        var response = await _terminal.PostAsync($"/v1/accounts/{accountId}/payments",
            new StringContent("amount=100&currency=EUR", Encoding.UTF8, "application/x-www-form-urlencoded"));

        await response.AssertProblemAsync(HttpStatusCode.UnsupportedMediaType, "validation_failed");
        await AssertUntouchedAsync(accountId, "form body");
    }

    [Fact]
    public async Task Misspelt_limit_is_refused_rather_than_ignored()
    {
        var accountId = await _admin.CreateAccountAsync();

        var response = await _admin.PatchAsJsonAsync($"/v1/accounts/{accountId}", new { limits = new { dialy = 10 } });

        await response.AssertProblemAsync(HttpStatusCode.BadRequest, "validation_failed");
        Assert.Equal(100_000, (long?)(await _admin.GetAccountAsync(accountId))["limits"]!["daily"]!["limit"]);
    }

    [Theory]
    [InlineData("acc-1\n")]
    [InlineData("acc 1")]
    [InlineData("acc'; DROP TABLE ledger; --")]
    [InlineData("\u0430cc-1")]
    public async Task Account_id_outside_its_charset_is_refused(string accountId)
    {
        var response = await _admin.PostAsJsonAsync("/v1/accounts", new { accountId, region = "region-a", currency = "EUR", initialBalance = 1 });

        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest, "validation_failed");
        Assert.NotNull(problem["errors"]!["accountId"]);
    }

    [Theory]
    [InlineData("dup", "dup")]
    [InlineData("ключ", null)]
    [InlineData("a\u0007b", null)]
    public async Task Malformed_or_repeated_idempotency_key_is_refused(string key, string? second)
    {
        var accountId = await _admin.CreateAccountAsync();
        var request = new HttpRequestMessage(HttpMethod.Post, $"/v1/accounts/{accountId}/payments")
        {
            Content = JsonContent.Create(new { amount = 100, currency = "EUR", merchant = "Shop", mcc = "5411" }),
        };
        request.Headers.TryAddWithoutValidation("Idempotency-Key", second is null ? [key] : [key, second]);

        var response = await _terminal.SendAsync(request);

        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest, "validation_failed");
        Assert.NotNull(problem["errors"]!["Idempotency-Key"]);
        await AssertUntouchedAsync(accountId, key);
    }

    [Fact]
    public async Task Idempotency_key_over_128_characters_is_refused()
    {
        var accountId = await _admin.CreateAccountAsync();

        var response = await _terminal.PayAsync(accountId, 100, key: new string('k', 129));

        await response.AssertProblemAsync(HttpStatusCode.BadRequest, "validation_failed");
        await AssertUntouchedAsync(accountId, "long key");
    }

    [Theory]
    [InlineData("limit=0", "limit")]
    [InlineData("limit=201", "limit")]
    [InlineData("limit=abc", "limit")]
    [InlineData("limit=-1", "limit")]
    [InlineData("limit=99999999999", "limit")]
    [InlineData("limit=5&limit=6", "limit")]
    [InlineData("before=0", "before")]
    [InlineData("before=abc", "before")]
    [InlineData("before=1%20OR%201=1", "before")]
    [InlineData("before=1&before=2", "before")]
    public async Task Malformed_history_query_is_refused_with_its_field(string query, string field)
    {
        var accountId = await _admin.CreateAccountAsync();

        var response = await _terminal.GetAsync($"/v1/accounts/{accountId}/payments?{query}");

        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest, "validation_failed");
        Assert.NotNull(problem["errors"]![field]);
    }

    [Fact]
    public async Task Payment_id_over_128_characters_is_refused()
    {
        var accountId = await _admin.CreateAccountAsync();

        var response = await _terminal.GetAsync($"/v1/payments/{new string('p', 129)}?accountId={accountId}");

        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest, "validation_failed");
        Assert.NotNull(problem["errors"]!["paymentId"]);
    }

    [Theory]
    [InlineData("\"sleeping\"")]
    [InlineData("\"frozen, closed\"")]
    [InlineData("\"active,frozen\"")]
    [InlineData("\"1\"")]
    [InlineData("1")]
    [InlineData("\"frozen \"")]
    [InlineData("\"\"")]
    public async Task Status_outside_the_contract_is_refused(string status)
    {
        var accountId = await _admin.CreateAccountAsync();

        var response = await _admin.PatchAsync($"/v1/accounts/{accountId}",
            new StringContent($"{{\"status\":{status}}}", Encoding.UTF8, "application/json"));

        await response.AssertProblemAsync(HttpStatusCode.BadRequest, "validation_failed");
        await AssertUntouchedAsync(accountId, status);
    }

    [Fact]
    public async Task Deposit_that_would_overflow_the_balance_is_refused()
    {
        var accountId = await _admin.CreateAccountAsync();

        var response = await _admin.PostAsJsonAsync($"/v1/accounts/{accountId}/deposits",
            new { amount = long.MaxValue, currency = "EUR", reference = "overflow" });

        await response.AssertProblemAsync(HttpStatusCode.BadRequest, "validation_failed");
        await AssertUntouchedAsync(accountId, "overflow");
    }

    private async Task AssertUntouchedAsync(string accountId, string what)
    {
        var account = await _admin.GetAccountAsync(accountId);
        var history = await (await _admin.GetAsync($"/v1/accounts/{accountId}/payments")).JsonAsync();
        Assert.True((long?)account["version"] == 1 && (long?)account["balance"] == 100_000, $"{what} changed the account");
        Assert.Empty(history["items"]!.AsArray());
    }
}
