using System.Globalization;
using System.Net;

namespace Payments.Api.Tests;

/// <summary>
/// When the ledger cannot be written, every endpoint of the authorization lifecycle answers 503 unavailable with
/// Retry-After and records nothing: the account and its authorization read as before, and a retry with the same
/// Idempotency-Key once the ledger is back decides anew.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class LedgerFaultApiTests(ApiFixture fixture)
{
    private readonly HttpClient _admin = fixture.Client(ApiFixture.AdminKey);
    private readonly HttpClient _terminal = fixture.Client(ApiFixture.TerminalKey);
    private readonly HttpClient _network = fixture.Client(ApiFixture.NetworkKey);

    [Fact]
    public async Task A_failing_ledger_write_answers_every_hold_endpoint_unavailable_with_retry_after_and_changes_nothing()
    {
        var id = await _admin.CreateAccountAsync();
        var authorizationId = await _terminal.AuthorizedAsync(id, 5_000);
        Assert.Equal(HttpStatusCode.Created, (await _terminal.PayAsync(id, 1_000, key: "paid-1")).StatusCode);
        var account = (await _admin.GetAccountAsync(id)).ToJsonString();
        var authorization = (await _admin.GetAuthorizationAsync(id, authorizationId)).ToJsonString();

        var answers = new Dictionary<string, HttpResponseMessage>();
        using (fixture.Ledger.FailAppendsOf(id))
        {
            answers["authorize"] = await _terminal.AuthorizeAsync(id, 1_000, key: "down-auth-1");
            answers["increment"] = await _terminal.IncrementAsync(id, authorizationId, 1_000, key: "down-inc-1");
            answers["capture"] = await _terminal.CaptureAsync(id, authorizationId, new { amount = 1_000 }, key: "down-cap-1");
            answers["reverse"] = await _terminal.ReverseAsync(id, authorizationId, new { amount = 1_000 }, key: "down-rev-1");
            answers["refund"] = await _terminal.RefundAsync(id, 500, "paid-1", key: "down-ref-1");
            answers["advice"] = await AdviseAsync(id, "down-adv-1");
        }

        foreach (var (endpoint, answer) in answers)
        {
            Assert.True(answer.StatusCode == HttpStatusCode.ServiceUnavailable, $"{endpoint}: {(int)answer.StatusCode}");
            await answer.AssertProblemAsync(HttpStatusCode.ServiceUnavailable, "unavailable");
            Assert.True(answer.Headers.RetryAfter?.Delta >= TimeSpan.FromSeconds(1), $"{endpoint}: no Retry-After");
        }

        Assert.Equal(account, (await _admin.GetAccountAsync(id)).ToJsonString());
        Assert.Equal(authorization, (await _admin.GetAuthorizationAsync(id, authorizationId)).ToJsonString());
        var retried = await _terminal.CaptureAsync(id, authorizationId, new { amount = 1_000 }, key: "down-cap-1");
        Assert.Equal(HttpStatusCode.Created, retried.StatusCode);
        var after = await _admin.GetAccountAsync(id);
        Assert.Equal((98_000L, 4_000L), ((long)after["balance"]!, (long)after["held"]!));
    }

    private Task<HttpResponseMessage> AdviseAsync(string accountId, string networkReference) =>
        _network.PostJsonAsync($"/v1/accounts/{accountId}/advices", new
        {
            kind = "payment",
            amount = 700,
            currency = "EUR",
            merchant = "Station Service",
            mcc = "5542",
            decidedAt = DateTimeOffset.UtcNow.AddMinutes(-5).ToString("yyyy-MM-ddTHH:mm:sszzz", CultureInfo.InvariantCulture),
            networkReference,
        });
}
