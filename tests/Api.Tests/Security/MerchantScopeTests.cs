using System.Net;

namespace Payments.Api.Tests;

/// <summary>
/// A terminal key scoped to a merchant submits that merchant's payments only, reads back only those, and cannot read
/// whole accounts.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class MerchantScopeTests(ApiFixture fixture)
{
    private const string Merchant = "Boulangerie du Port";
    private readonly HttpClient _admin = fixture.Client(ApiFixture.AdminKey);
    private readonly HttpClient _terminal = fixture.Client(ApiFixture.TerminalKey);

    [Fact]
    public async Task Scoped_key_pays_for_its_own_merchant()
    {
        var accountId = await _admin.CreateAccountAsync();
        var scoped = fixture.Client((await _admin.IssueKeyAsync("terminal", Merchant)).Key);

        var response = await scoped.PayAsync(accountId, 250, key: "scoped-1", merchant: Merchant);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal(99_750, (long?)(await _admin.GetAccountAsync(accountId))["balance"]);
        Assert.Equal(HttpStatusCode.OK, (await scoped.GetAsync($"/v1/payments/scoped-1?accountId={accountId}")).StatusCode);
    }

    [Theory]
    [InlineData("Boucherie du Port")]
    [InlineData("boulangerie du port")]
    [InlineData("Boulangerie du Port ")]
    public async Task Scoped_key_cannot_pay_for_another_merchant_and_nothing_is_recorded(string merchant)
    {
        var accountId = await _admin.CreateAccountAsync();
        var scoped = fixture.Client((await _admin.IssueKeyAsync("terminal", Merchant)).Key);

        var response = await scoped.PayAsync(accountId, 250, key: "other-1", merchant: merchant);

        await response.AssertProblemAsync(HttpStatusCode.Forbidden, "forbidden");
        var account = await _admin.GetAccountAsync(accountId);
        Assert.Equal((100_000L, 1L), ((long)account["balance"]!, (long)account["version"]!));
    }

    [Fact]
    public async Task Scoped_key_sees_another_merchants_payment_as_absent()
    {
        var accountId = await _admin.CreateAccountAsync();
        await _terminal.PayAsync(accountId, 300, key: "elsewhere-1", merchant: "Station Service");
        var scoped = fixture.Client((await _admin.IssueKeyAsync("terminal", Merchant)).Key);

        var response = await scoped.GetAsync($"/v1/payments/elsewhere-1?accountId={accountId}");

        await response.AssertProblemAsync(HttpStatusCode.NotFound, "payment_not_found");
    }

    [Fact]
    public async Task Scoped_key_cannot_read_balances_or_histories()
    {
        var accountId = await _admin.CreateAccountAsync();
        var scoped = fixture.Client((await _admin.IssueKeyAsync("terminal", Merchant)).Key);

        var account = await scoped.GetAsync($"/v1/accounts/{accountId}");
        var history = await scoped.GetAsync($"/v1/accounts/{accountId}/payments");

        await account.AssertProblemAsync(HttpStatusCode.Forbidden, "forbidden");
        await history.AssertProblemAsync(HttpStatusCode.Forbidden, "forbidden");
    }
}
