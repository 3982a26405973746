using System.Globalization;
using System.Net;

namespace Payments.Api.Tests;

/// <summary>Increments, the list of authorizations, forced captures and refunds through the API: their statuses and problem codes.</summary>
[Collection(ApiCollection.Name)]
public sealed class HoldsFollowUpApiTests(ApiFixture fixture)
{
    private readonly HttpClient _admin = fixture.Client(ApiFixture.AdminKey);
    private readonly HttpClient _terminal = fixture.Client(ApiFixture.TerminalKey);
    private readonly HttpClient _network = fixture.Client(ApiFixture.NetworkKey);

    [Fact]
    public async Task Approved_increment_adds_to_the_hold_and_is_replayed_on_retry()
    {
        var id = await _admin.CreateAccountAsync();
        var authorizationId = await _terminal.AuthorizedAsync(id, 10_000);
        var before = await _terminal.GetAuthorizationAsync(id, authorizationId);

        var response = await _terminal.IncrementAsync(id, authorizationId, 3_000, key: "inc-approved-1");
        var retry = await _terminal.IncrementAsync(id, authorizationId, 3_000, key: "inc-approved-1");

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var increment = await response.JsonAsync();
        Assert.Equal(("inc-approved-1", authorizationId, 3_000L, "approved"),
            ((string?)increment["incrementId"], (string?)increment["authorizationId"], (long)increment["amount"]!, (string?)increment["status"]));
        Assert.Equal(13_000, (long?)increment["authorization"]!["held"]);
        Assert.True(Instant(increment["authorization"]!["expiresAt"]) >= Instant(before["expiresAt"]));
        Assert.Equal(HttpStatusCode.OK, retry.StatusCode);
        Assert.Equal("true", retry.Headers.GetValues("Idempotent-Replayed").Single());
        var view = await _admin.GetAccountAsync(id);
        Assert.Equal((13_000L, 87_000L), ((long)view["held"]!, (long)view["available"]!));
    }

    [Fact]
    public async Task Increment_beyond_the_available_money_is_declined_and_leaves_the_hold()
    {
        var id = await _admin.CreateAccountAsync(initialBalance: 10_000);
        var authorizationId = await _terminal.AuthorizedAsync(id, 8_000);

        var response = await _terminal.IncrementAsync(id, authorizationId, 5_000);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var increment = await response.JsonAsync();
        Assert.Equal(("declined", "insufficient_funds", 8_000L),
            ((string?)increment["status"], (string?)increment["declineReason"], (long)increment["authorization"]!["held"]!));
    }

    [Fact]
    public async Task Increment_of_a_settled_or_unknown_authorization_is_refused()
    {
        var id = await _admin.CreateAccountAsync();
        var reversed = await _terminal.AuthorizedAsync(id, 1_000);
        await _terminal.ReverseAsync(id, reversed, new { });

        var settled = await _terminal.IncrementAsync(id, reversed, 100);
        var unknown = await _terminal.IncrementAsync(id, "none-such", 100);
        var malformed = await _terminal.IncrementAsync(id, reversed, 0);

        await settled.AssertProblemAsync(HttpStatusCode.Conflict, "authorization_not_pending");
        await unknown.AssertProblemAsync(HttpStatusCode.NotFound, "authorization_not_found");
        await malformed.AssertProblemAsync(HttpStatusCode.BadRequest, "validation_failed");
    }

    [Fact]
    public async Task Authorizations_are_listed_newest_first_by_status_and_cursor_paged()
    {
        var id = await _admin.CreateAccountAsync();
        for (var i = 1; i <= 4; i++)
        {
            await _terminal.AuthorizedAsync(id, i * 100, key: $"list-{i}");
        }

        await _terminal.ReverseAsync(id, "list-2", new { });

        var first = await (await _terminal.GetAsync($"/v1/accounts/{id}/authorizations?limit=2")).JsonAsync();
        var second = await (await _terminal.GetAsync($"/v1/accounts/{id}/authorizations?limit=2&before={first["next"]}")).JsonAsync();
        var pending = await (await _terminal.GetAsync($"/v1/accounts/{id}/authorizations?status=pending")).JsonAsync();
        var reversed = await (await _terminal.GetAsync($"/v1/accounts/{id}/authorizations?status=reversed")).JsonAsync();

        Assert.Equal(["list-4", "list-3"], first["items"]!.AsArray().Select(a => (string)a!["authorizationId"]!));
        Assert.Equal(["list-2", "list-1"], second["items"]!.AsArray().Select(a => (string)a!["authorizationId"]!));
        Assert.Equal(["list-4", "list-3", "list-1"], pending["items"]!.AsArray().Select(a => (string)a!["authorizationId"]!));
        Assert.Equal(["list-2"], reversed["items"]!.AsArray().Select(a => (string)a!["authorizationId"]!));
    }

    [Theory]
    [InlineData("status=held")]
    [InlineData("status=Pending")]
    [InlineData("limit=0")]
    [InlineData("before=abc")]
    public async Task Malformed_authorization_list_query_is_a_validation_problem(string query)
    {
        var id = await _admin.CreateAccountAsync();

        var response = await _terminal.GetAsync($"/v1/accounts/{id}/authorizations?{query}");

        await response.AssertProblemAsync(HttpStatusCode.BadRequest, "validation_failed");
    }

    [Fact]
    public async Task Authorization_list_of_a_missing_account_is_not_found()
    {
        var response = await _admin.GetAsync($"/v1/accounts/{ApiCalls.NewAccountId()}/authorizations");

        await response.AssertProblemAsync(HttpStatusCode.NotFound, "account_not_found");
    }

    [Fact]
    public async Task Network_forces_a_capture_past_the_cap_and_a_terminal_may_not()
    {
        var id = await _admin.CreateAccountAsync();
        var authorizationId = await _terminal.AuthorizedAsync(id, 1_000);

        var byTerminal = await _terminal.CaptureAsync(id, authorizationId, new { amount = 1_500, force = true });
        var byNetwork = await _network.CaptureAsync(id, authorizationId, new { amount = 1_500, final = true, force = true });

        await byTerminal.AssertProblemAsync(HttpStatusCode.Forbidden, "forbidden");
        Assert.Equal(HttpStatusCode.Created, byNetwork.StatusCode);
        var capture = await byNetwork.JsonAsync();
        Assert.Equal((true, true, 98_500L), ((bool)capture["forced"]!, (bool)capture["exceedsHold"]!, (long)capture["balanceAfter"]!));
    }

    [Fact]
    public async Task Refunds_of_a_payment_never_total_more_than_it_and_give_no_ceiling_room_back()
    {
        var id = await _admin.CreateAccountAsync();
        await _terminal.PayAsync(id, 3_000, key: "refunded-pay-1");

        var first = await _terminal.RefundAsync(id, 1_000, "refunded-pay-1", key: "ref-1");
        var retry = await _terminal.RefundAsync(id, 1_000, "refunded-pay-1", key: "ref-1");
        var tooMuch = await _terminal.RefundAsync(id, 2_001, "refunded-pay-1");
        var rest = await _terminal.RefundAsync(id, 2_000, "refunded-pay-1");

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        var refund = await first.JsonAsync();
        Assert.Equal(("ref-1", 1_000L, "refunded-pay-1", 98_000L),
            ((string?)refund["refundId"], (long)refund["amount"]!, (string?)refund["paymentId"], (long)refund["balanceAfter"]!));
        Assert.Equal(HttpStatusCode.OK, retry.StatusCode);
        Assert.Equal("true", retry.Headers.GetValues("Idempotent-Replayed").Single());
        await tooMuch.AssertProblemAsync(HttpStatusCode.UnprocessableEntity, "refund_exceeds_payment");
        Assert.Equal(HttpStatusCode.Created, rest.StatusCode);
        var view = await _admin.GetAccountAsync(id);
        Assert.Equal((100_000L, 3_000L), ((long)view["balance"]!, (long)view["limits"]!["daily"]!["spent"]!));
    }

    [Fact]
    public async Task Refund_of_a_capture_or_of_nothing_named_is_credited()
    {
        var id = await _admin.CreateAccountAsync();
        var authorizationId = await _terminal.AuthorizedAsync(id, 2_000);
        await _terminal.CaptureAsync(id, authorizationId, new { amount = 2_000, final = true }, key: "refunded-cap-1");

        var ofCapture = await _terminal.RefundAsync(id, 2_000, "refunded-cap-1");
        var unnamed = await _terminal.RefundAsync(id, 700, paymentId: null);

        Assert.Equal((HttpStatusCode.Created, HttpStatusCode.Created), (ofCapture.StatusCode, unnamed.StatusCode));
        Assert.Equal(100_700, (long?)(await _admin.GetAccountAsync(id))["balance"]);
    }

    [Fact]
    public async Task Refund_of_an_unknown_payment_is_not_found_and_a_malformed_one_is_refused()
    {
        var id = await _admin.CreateAccountAsync();

        var unknown = await _terminal.RefundAsync(id, 100, "none-such");
        var malformed = await _terminal.RefundAsync(id, 0, paymentId: null);
        var missingAccount = await _terminal.RefundAsync(ApiCalls.NewAccountId(), 100, paymentId: null);

        await unknown.AssertProblemAsync(HttpStatusCode.NotFound, "payment_not_found");
        await malformed.AssertProblemAsync(HttpStatusCode.BadRequest, "validation_failed");
        await missingAccount.AssertProblemAsync(HttpStatusCode.NotFound, "account_not_found");
        Assert.Equal(1, (long?)(await _admin.GetAccountAsync(id))["version"]);
    }

    [Fact]
    public async Task Scoped_key_refunds_and_increments_only_for_its_own_merchant()
    {
        var id = await _admin.CreateAccountAsync();
        await _terminal.PayAsync(id, 1_000, key: "other-merchant-pay", merchant: "Station Service");
        var elsewhere = await _terminal.AuthorizedAsync(id, 1_000);
        var scoped = fixture.Client((await _admin.IssueKeyAsync("terminal", "Boulangerie du Port")).Key);
        var version = (long)(await _admin.GetAccountAsync(id))["version"]!;

        var otherPayment = await scoped.RefundAsync(id, 100, "other-merchant-pay");
        var otherMerchant = await scoped.RefundAsync(id, 100, paymentId: null, merchant: "Station Service");
        var increment = await scoped.IncrementAsync(id, elsewhere, 100);
        var own = await scoped.RefundAsync(id, 100, paymentId: null);

        await otherPayment.AssertProblemAsync(HttpStatusCode.Forbidden, "forbidden");
        await otherMerchant.AssertProblemAsync(HttpStatusCode.Forbidden, "forbidden");
        await increment.AssertProblemAsync(HttpStatusCode.Forbidden, "forbidden");
        Assert.Equal(HttpStatusCode.Created, own.StatusCode);
        Assert.Equal(version + 1, (long?)(await _admin.GetAccountAsync(id))["version"]);
    }

    [Fact]
    public async Task Scoped_key_refunds_captures_of_its_own_merchants_authorizations_only()
    {
        var id = await _admin.CreateAccountAsync();
        var scoped = fixture.Client((await _admin.IssueKeyAsync("terminal", "Boulangerie du Port")).Key);
        var own = (string)(await (await _terminal.AuthorizeAsync(id, 2_000, merchant: "Boulangerie du Port", mcc: "5411")).JsonAsync())["authorizationId"]!;
        var elsewhere = await _terminal.AuthorizedAsync(id, 3_000);
        Assert.Equal(HttpStatusCode.Created, (await _terminal.CaptureAsync(id, own, new { amount = 2_000, final = true }, key: "own-cap-1")).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await _terminal.CaptureAsync(id, elsewhere, new { amount = 3_000, final = true }, key: "hotel-cap-1")).StatusCode);
        var version = (long)(await _admin.GetAccountAsync(id))["version"]!;

        var ofOwn = await scoped.RefundAsync(id, 500, "own-cap-1");
        var ofOther = await scoped.RefundAsync(id, 500, "hotel-cap-1");
        var ofNone = await scoped.RefundAsync(id, 500, "none-such");

        Assert.Equal(HttpStatusCode.Created, ofOwn.StatusCode);
        Assert.Equal("own-cap-1", (string?)(await ofOwn.JsonAsync())["paymentId"]);
        await ofOther.AssertProblemAsync(HttpStatusCode.Forbidden, "forbidden");
        await ofNone.AssertProblemAsync(HttpStatusCode.NotFound, "payment_not_found");
        var account = await _admin.GetAccountAsync(id);
        Assert.Equal((95_500L, version + 1), ((long)account["balance"]!, (long)account["version"]!));
    }

    private static DateTimeOffset Instant(System.Text.Json.Nodes.JsonNode? node) =>
        DateTimeOffset.Parse((string)node!, CultureInfo.InvariantCulture);
}
