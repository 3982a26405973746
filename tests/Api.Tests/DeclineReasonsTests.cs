using System.Net;
using System.Net.Http.Json;

namespace Payments.Api.Tests;

/// <summary>Every decline reason of the contract, reached through the API, each answered 201 and recorded.</summary>
[Collection(ApiCollection.Name)]
public sealed class DeclineReasonsTests(ApiFixture fixture)
{
    private readonly HttpClient _admin = fixture.Client(ApiFixture.AdminKey);
    private readonly HttpClient _terminal = fixture.Client(ApiFixture.TerminalKey);

    [Fact]
    public Task Closed_account_declines() => AssertDeclinedAsync("account_closed", new { status = "closed" }, 100);

    [Fact]
    public Task Frozen_account_declines() => AssertDeclinedAsync("account_frozen", new { status = "frozen" }, 100);

    [Fact]
    public Task Other_currency_declines() => AssertDeclinedAsync("currency_mismatch", null, 100, currency: "USD");

    [Fact]
    public Task Blocked_category_declines() => AssertDeclinedAsync("category_blocked", null, 100, mcc: "7995");

    [Fact]
    public Task Over_per_payment_limit_declines() => AssertDeclinedAsync("per_payment_limit_exceeded", new { limits = new { perPayment = 1000 } }, 1001);

    [Fact]
    public Task Over_balance_declines() => AssertDeclinedAsync("insufficient_funds", null, 50_000, initialBalance: 49_999);

    [Fact]
    public Task Over_daily_ceiling_declines() => AssertDeclinedAsync("daily_limit_exceeded", new { limits = new { daily = 500 } }, 501);

    [Fact]
    public Task Over_weekly_ceiling_declines() => AssertDeclinedAsync("weekly_limit_exceeded", new { limits = new { weekly = 500 } }, 501);

    [Fact]
    public Task Over_monthly_ceiling_declines() => AssertDeclinedAsync("monthly_limit_exceeded", new { limits = new { monthly = 500 } }, 501);

    [Fact]
    public Task Closed_takes_precedence_over_every_other_reason() =>
        AssertDeclinedAsync("account_closed", new { status = "closed", limits = new { perPayment = 10 } }, 200_000, currency: "USD", mcc: "7995", initialBalance: 1);

    private async Task AssertDeclinedAsync(
        string reason, object? patch, long amount, string currency = "EUR", string mcc = "5411", long initialBalance = 100_000)
    {
        var id = await _admin.CreateAccountAsync(initialBalance);
        if (patch is not null)
        {
            Assert.Equal(HttpStatusCode.OK, (await _admin.PatchAsJsonAsync($"/v1/accounts/{id}", patch)).StatusCode);
        }

        var response = await _terminal.PayAsync(id, amount, key: $"decline-{reason}", mcc: mcc, currency: currency);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var payment = await response.JsonAsync();
        Assert.Equal("declined", (string?)payment["status"]);
        Assert.Equal(reason, (string?)payment["declineReason"]);
        Assert.Equal(initialBalance, (long?)payment["balanceAfter"]);
        Assert.Equal(initialBalance, (long?)(await _admin.GetAccountAsync(id))["balance"]);
        var stored = await _admin.GetAsync($"/v1/payments/decline-{reason}?accountId={id}");
        Assert.Equal(reason, (string?)(await stored.JsonAsync())["declineReason"]);
    }
}
