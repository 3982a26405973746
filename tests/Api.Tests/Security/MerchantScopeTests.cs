using System.Net;

namespace Payments.Api.Tests;

/// <summary>
/// A terminal key scoped to a merchant submits that merchant's payments and authorizations only, captures and reverses
/// only that merchant's authorizations, reads back only those, and cannot read whole accounts.
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

    [Fact]
    public async Task Scoped_key_authorizes_captures_and_reverses_for_its_own_merchant()
    {
        var accountId = await _admin.CreateAccountAsync();
        var scoped = fixture.Client((await _admin.IssueKeyAsync("terminal", Merchant)).Key);
        var authorizationId = (string)(await (await scoped.AuthorizeAsync(accountId, 3_000, merchant: Merchant, mcc: "5411")).JsonAsync())["authorizationId"]!;

        var capture = await scoped.CaptureAsync(accountId, authorizationId, new { amount = 1_000 });
        var reversal = await scoped.ReverseAsync(accountId, authorizationId, new { });
        var read = await scoped.GetAsync($"/v1/accounts/{accountId}/authorizations/{authorizationId}");

        Assert.Equal((HttpStatusCode.Created, HttpStatusCode.Created, HttpStatusCode.OK), (capture.StatusCode, reversal.StatusCode, read.StatusCode));
        var account = await _admin.GetAccountAsync(accountId);
        Assert.Equal((99_000L, 0L), ((long)account["balance"]!, (long)account["held"]!));
    }

    [Fact]
    public async Task Scoped_key_cannot_authorize_for_another_merchant_and_nothing_is_held()
    {
        var accountId = await _admin.CreateAccountAsync();
        var scoped = fixture.Client((await _admin.IssueKeyAsync("terminal", Merchant)).Key);

        var response = await scoped.AuthorizeAsync(accountId, 3_000, key: "scoped-auth-1", merchant: "Hôtel du Lac");

        await response.AssertProblemAsync(HttpStatusCode.Forbidden, "forbidden");
        var account = await _admin.GetAccountAsync(accountId);
        Assert.Equal((0L, 1L), ((long)account["held"]!, (long)account["version"]!));
    }

    [Fact]
    public async Task Scoped_key_cannot_capture_or_reverse_another_merchants_authorization_nor_see_it()
    {
        var accountId = await _admin.CreateAccountAsync();
        var elsewhere = await _terminal.AuthorizedAsync(accountId, 4_000);
        var scoped = fixture.Client((await _admin.IssueKeyAsync("terminal", Merchant)).Key);
        var version = (long)(await _admin.GetAccountAsync(accountId))["version"]!;

        var capture = await scoped.CaptureAsync(accountId, elsewhere, new { amount = 1_000 }, key: "scoped-cap-1");
        var reversal = await scoped.ReverseAsync(accountId, elsewhere, new { }, key: "scoped-rev-1");
        var read = await scoped.GetAsync($"/v1/accounts/{accountId}/authorizations/{elsewhere}");

        await capture.AssertProblemAsync(HttpStatusCode.Forbidden, "forbidden");
        await reversal.AssertProblemAsync(HttpStatusCode.Forbidden, "forbidden");
        await read.AssertProblemAsync(HttpStatusCode.NotFound, "authorization_not_found");
        var account = await _admin.GetAccountAsync(accountId);
        Assert.Equal((version, 4_000L), ((long)account["version"]!, (long)account["held"]!));
    }
}
