using System.Net;

namespace Payments.Api.Tests;

/// <summary>The card network's key (role <c>network</c>): it clears (captures) authorizations, and does nothing a terminal or the back office does.</summary>
[Collection(ApiCollection.Name)]
public sealed class NetworkRoleTests(ApiFixture fixture)
{
    private readonly HttpClient _admin = fixture.Client(ApiFixture.AdminKey);
    private readonly HttpClient _terminal = fixture.Client(ApiFixture.TerminalKey);
    private readonly HttpClient _network = fixture.Client(ApiFixture.NetworkKey);

    [Fact]
    public async Task Network_key_captures_an_authorization()
    {
        var accountId = await _admin.CreateAccountAsync();
        var authorizationId = await _terminal.AuthorizedAsync(accountId, 3_000);

        var response = await _network.CaptureAsync(accountId, authorizationId, new { amount = 3_000, final = true });

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal(97_000, (long?)(await _admin.GetAccountAsync(accountId))["balance"]);
    }

    [Fact]
    public async Task Network_key_neither_pays_nor_authorizes_nor_reads_accounts()
    {
        var accountId = await _admin.CreateAccountAsync();

        var payment = await _network.PayAsync(accountId, 100);
        var authorization = await _network.AuthorizeAsync(accountId, 100);
        var account = await _network.GetAsync($"/v1/accounts/{accountId}");

        foreach (var response in new[] { payment, authorization, account })
        {
            await response.AssertProblemAsync(HttpStatusCode.Forbidden, "forbidden");
        }

        Assert.Equal(1, (long?)(await _admin.GetAccountAsync(accountId))["version"]);
    }

    [Fact]
    public async Task Admin_issues_network_keys_that_work_at_once()
    {
        var (_, key) = await _admin.IssueKeyAsync("network");
        var accountId = await _admin.CreateAccountAsync();
        var authorizationId = await _terminal.AuthorizedAsync(accountId, 1_000);

        var response = await fixture.Client(key).CaptureAsync(accountId, authorizationId, new { amount = 500 });

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
    }
}
