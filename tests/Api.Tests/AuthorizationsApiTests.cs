using System.Globalization;
using System.Net;
using System.Net.Http.Json;

namespace Payments.Api.Tests;

/// <summary>Authorizations, captures and reversals through the API: every status and problem code of api.md.</summary>
[Collection(ApiCollection.Name)]
public sealed class AuthorizationsApiTests(ApiFixture fixture)
{
    private readonly HttpClient _admin = fixture.Client(ApiFixture.AdminKey);
    private readonly HttpClient _terminal = fixture.Client(ApiFixture.TerminalKey);

    [Fact]
    public async Task Approved_authorization_has_every_contract_field_and_holds_the_money()
    {
        var id = await _admin.CreateAccountAsync();

        var response = await _terminal.AuthorizeAsync(id, 12_000, key: "auth-fields-1");

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal($"/v1/accounts/{id}/authorizations/auth-fields-1", response.Headers.Location?.OriginalString);
        var authorization = await response.JsonAsync();
        Assert.Equal("auth-fields-1", (string?)authorization["authorizationId"]);
        Assert.Equal(id, (string?)authorization["accountId"]);
        Assert.Equal((12_000L, "EUR", HoldCalls.Hotel, "7011"),
            ((long)authorization["amount"]!, (string?)authorization["currency"], (string?)authorization["merchant"], (string?)authorization["mcc"]));
        Assert.Equal("pending", (string?)authorization["status"]);
        Assert.True(authorization.ContainsKey("declineReason"));
        Assert.Null(authorization["declineReason"]);
        Assert.Equal((12_000L, 0L, 0L, 88_000L),
            ((long)authorization["held"]!, (long)authorization["captured"]!, (long)authorization["released"]!, (long)authorization["availableAfter"]!));
        Assert.Equal("region-a", (string?)authorization["decidedBy"]);
        var createdAt = DateTimeOffset.Parse((string)authorization["createdAt"]!, CultureInfo.InvariantCulture);
        Assert.Equal(createdAt + TimeSpan.FromDays(7), DateTimeOffset.Parse((string)authorization["expiresAt"]!, CultureInfo.InvariantCulture));
        var view = await _admin.GetAccountAsync(id);
        Assert.Equal((100_000L, 12_000L, 88_000L, false),
            ((long)view["balance"]!, (long)view["held"]!, (long)view["available"]!, (bool)view["overdrawn"]!));
        Assert.Equal(12_000, (long?)view["limits"]!["daily"]!["spent"]);
        Assert.Equal(authorization.ToJsonString(), (await _terminal.GetAuthorizationAsync(id, "auth-fields-1")).ToJsonString());
    }

    [Fact]
    public async Task Authorization_beyond_the_available_money_is_declined_and_holds_nothing()
    {
        var id = await _admin.CreateAccountAsync(initialBalance: 10_000);
        await _terminal.AuthorizedAsync(id, 6_000);

        var response = await _terminal.AuthorizeAsync(id, 5_000);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var declined = await response.JsonAsync();
        Assert.Equal(("declined", "insufficient_funds", 0L), ((string?)declined["status"], (string?)declined["declineReason"], (long)declined["held"]!));
        var view = await _admin.GetAccountAsync(id);
        Assert.Equal((10_000L, 6_000L, 4_000L), ((long)view["balance"]!, (long)view["held"]!, (long)view["available"]!));
    }

    [Fact]
    public async Task Authorization_retry_with_the_same_key_replays_it_and_holds_once()
    {
        var id = await _admin.CreateAccountAsync();
        var first = await (await _terminal.AuthorizeAsync(id, 3_000, key: "auth-retry-1")).JsonAsync();

        var retry = await _terminal.AuthorizeAsync(id, 3_000, key: "auth-retry-1");

        Assert.Equal(HttpStatusCode.OK, retry.StatusCode);
        Assert.Equal("true", retry.Headers.GetValues("Idempotent-Replayed").Single());
        Assert.Equal(first.ToJsonString(), (await retry.JsonAsync()).ToJsonString());
        Assert.Equal(3_000, (long?)(await _admin.GetAccountAsync(id))["held"]);
    }

    [Fact]
    public async Task Authorization_key_reused_with_another_body_or_by_another_endpoint_is_refused()
    {
        var id = await _admin.CreateAccountAsync();
        await _terminal.AuthorizeAsync(id, 3_000, key: "auth-reused-1");
        await _terminal.PayAsync(id, 700, key: "pay-then-auth-1");

        var otherAmount = await _terminal.AuthorizeAsync(id, 3_001, key: "auth-reused-1");
        var paymentKey = await _terminal.AuthorizeAsync(id, 700, key: "pay-then-auth-1", merchant: "Boulangerie du Port", mcc: "5411");

        await otherAmount.AssertProblemAsync(HttpStatusCode.UnprocessableEntity, "idempotency_key_reused");
        await paymentKey.AssertProblemAsync(HttpStatusCode.UnprocessableEntity, "idempotency_key_reused");
        var view = await _admin.GetAccountAsync(id);
        Assert.Equal((99_300L, 3_000L), ((long)view["balance"]!, (long)view["held"]!));
    }

    public static TheoryData<long, string, string, string, string> MalformedAuthorizations() => new()
    {
        { 0, "EUR", "Hotel", "7011", "amount" },
        { -5, "EUR", "Hotel", "7011", "amount" },
        { 1_000_001, "EUR", "Hotel", "7011", "amount" },
        { 100, "EURO", "Hotel", "7011", "currency" },
        { 100, "EUR", "Hotel", "701", "mcc" },
        { 100, "EUR", "", "7011", "merchant" },
        { 100, "EUR", new string('m', 101), "7011", "merchant" },
    };

    [Theory]
    [MemberData(nameof(MalformedAuthorizations))]
    public async Task Malformed_authorization_is_refused_and_records_nothing(long amount, string currency, string merchant, string mcc, string field)
    {
        var id = await _admin.CreateAccountAsync();

        var response = await _terminal.AuthorizeAsync(id, amount, key: "auth-bad-1", merchant: merchant, mcc: mcc, currency: currency);

        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest, "validation_failed");
        Assert.NotNull(problem["errors"]![field]);
        Assert.Equal(1, (long?)(await _admin.GetAccountAsync(id))["version"]);
    }

    [Fact]
    public async Task Authorization_of_a_missing_account_is_not_found()
    {
        var response = await _terminal.AuthorizeAsync(ApiCalls.NewAccountId(), 100);

        await response.AssertProblemAsync(HttpStatusCode.NotFound, "account_not_found");
    }

    [Fact]
    public async Task Unknown_authorization_is_not_found_for_reads_and_writes()
    {
        var id = await _admin.CreateAccountAsync();
        await _terminal.PayAsync(id, 500, key: "a-payment-not-a-hold");

        var read = await _terminal.GetAsync($"/v1/accounts/{id}/authorizations/none-such");
        var capture = await _terminal.CaptureAsync(id, "none-such", new { amount = 100 });
        var reversal = await _terminal.ReverseAsync(id, "none-such", new { });
        var paymentAsHold = await _terminal.CaptureAsync(id, "a-payment-not-a-hold", new { amount = 100 });
        var missingAccount = await _terminal.CaptureAsync(ApiCalls.NewAccountId(), "none-such", new { amount = 100 });

        await read.AssertProblemAsync(HttpStatusCode.NotFound, "authorization_not_found");
        await capture.AssertProblemAsync(HttpStatusCode.NotFound, "authorization_not_found");
        await reversal.AssertProblemAsync(HttpStatusCode.NotFound, "authorization_not_found");
        await paymentAsHold.AssertProblemAsync(HttpStatusCode.NotFound, "authorization_not_found");
        await missingAccount.AssertProblemAsync(HttpStatusCode.NotFound, "account_not_found");
    }

    [Fact]
    public async Task Partial_then_final_capture_posts_the_captures_and_releases_the_rest()
    {
        var id = await _admin.CreateAccountAsync();
        var authorizationId = await _terminal.AuthorizedAsync(id, 12_000);

        var partial = await _terminal.CaptureAsync(id, authorizationId, new { amount = 5_000 }, key: "cap-partial-1");
        var final = await _terminal.CaptureAsync(id, authorizationId, new { amount = 6_500, final = true }, key: "cap-final-1");

        Assert.Equal(HttpStatusCode.Created, partial.StatusCode);
        Assert.Equal($"/v1/accounts/{id}/authorizations/{authorizationId}", partial.Headers.Location?.OriginalString);
        var first = await partial.JsonAsync();
        Assert.Equal(("cap-partial-1", authorizationId, 5_000L, 95_000L, false),
            ((string?)first["captureId"], (string?)first["authorizationId"], (long)first["amount"]!, (long)first["balanceAfter"]!, (bool)first["exceedsHold"]!));
        Assert.Empty(first["overLimits"]!.AsArray());
        Assert.Equal(("pending", 7_000L, 5_000L), ((string?)first["authorization"]!["status"], (long)first["authorization"]!["held"]!, (long)first["authorization"]!["captured"]!));
        var closed = (await final.JsonAsync())["authorization"]!;
        Assert.Equal(("closed", 0L, 11_500L, 500L),
            ((string?)closed["status"], (long)closed["held"]!, (long)closed["captured"]!, (long)closed["released"]!));
        var view = await _admin.GetAccountAsync(id);
        Assert.Equal((88_500L, 0L, 88_500L), ((long)view["balance"]!, (long)view["held"]!, (long)view["available"]!));
        Assert.Equal(11_500, (long?)view["limits"]!["daily"]!["spent"]);
    }

    [Fact]
    public async Task Capture_retry_with_the_same_key_replays_it_and_posts_once()
    {
        var id = await _admin.CreateAccountAsync();
        var authorizationId = await _terminal.AuthorizedAsync(id, 4_000);
        var first = await _terminal.CaptureAsync(id, authorizationId, new { amount = 1_000 }, key: "cap-retry-1");

        var retry = await _terminal.CaptureAsync(id, authorizationId, new { amount = 1_000 }, key: "cap-retry-1");
        var reused = await _terminal.CaptureAsync(id, authorizationId, new { amount = 1_001 }, key: "cap-retry-1");

        Assert.Equal(HttpStatusCode.OK, retry.StatusCode);
        Assert.Equal("true", retry.Headers.GetValues("Idempotent-Replayed").Single());
        Assert.Equal((string?)(await first.JsonAsync())["captureId"], (string?)(await retry.JsonAsync())["captureId"]);
        await reused.AssertProblemAsync(HttpStatusCode.UnprocessableEntity, "idempotency_key_reused");
        Assert.Equal(99_000, (long?)(await _admin.GetAccountAsync(id))["balance"]);
    }

    [Fact]
    public async Task Capture_beyond_the_cap_is_refused_and_records_nothing()
    {
        var id = await _admin.CreateAccountAsync();
        var authorizationId = await _terminal.AuthorizedAsync(id, 4_000);
        await _terminal.CaptureAsync(id, authorizationId, new { amount = 3_000 });
        var version = (long)(await _admin.GetAccountAsync(id))["version"]!;

        var response = await _terminal.CaptureAsync(id, authorizationId, new { amount = 1_001 });

        await response.AssertProblemAsync(HttpStatusCode.UnprocessableEntity, "capture_exceeds_authorization");
        var view = await _admin.GetAccountAsync(id);
        Assert.Equal((version, 97_000L, 1_000L), ((long)view["version"]!, (long)view["balance"]!, (long)view["held"]!));
    }

    [Fact]
    public async Task Capture_beyond_what_is_still_held_is_posted_and_flagged()
    {
        var id = await _admin.CreateAccountAsync();
        var authorizationId = await _terminal.AuthorizedAsync(id, 10_000);
        await _terminal.ReverseAsync(id, authorizationId, new { amount = 4_000 });

        var response = await _terminal.CaptureAsync(id, authorizationId, new { amount = 8_000, final = true });

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var capture = await response.JsonAsync();
        Assert.True((bool)capture["exceedsHold"]!);
        Assert.Equal(92_000, (long?)capture["balanceAfter"]);
        Assert.Equal(("closed", 0L), ((string?)capture["authorization"]!["status"], (long)capture["authorization"]!["held"]!));
    }

    [Fact]
    public async Task Capture_or_reversal_of_a_settled_authorization_is_not_pending()
    {
        var id = await _admin.CreateAccountAsync();
        var closed = await _terminal.AuthorizedAsync(id, 2_000);
        await _terminal.CaptureAsync(id, closed, new { amount = 2_000, final = true });
        var reversed = await _terminal.AuthorizedAsync(id, 3_000);
        await _terminal.ReverseAsync(id, reversed, new { });
        var version = (long)(await _admin.GetAccountAsync(id))["version"]!;

        var captureClosed = await _terminal.CaptureAsync(id, closed, new { amount = 1 });
        var reverseClosed = await _terminal.ReverseAsync(id, closed, new { });
        var captureReversed = await _terminal.CaptureAsync(id, reversed, new { amount = 1 });
        var reverseReversed = await _terminal.ReverseAsync(id, reversed, new { amount = 1 });

        foreach (var response in new[] { captureClosed, reverseClosed, captureReversed, reverseReversed })
        {
            await response.AssertProblemAsync(HttpStatusCode.Conflict, "authorization_not_pending");
        }

        Assert.Equal(version, (long?)(await _admin.GetAccountAsync(id))["version"]);
        Assert.Equal("reversed", (string?)(await _terminal.GetAuthorizationAsync(id, reversed))["status"]);
    }

    [Fact]
    public async Task Capture_of_a_declined_authorization_is_not_pending()
    {
        var id = await _admin.CreateAccountAsync(initialBalance: 1_000);
        var declined = await (await _terminal.AuthorizeAsync(id, 2_000)).JsonAsync();

        var response = await _terminal.CaptureAsync(id, (string)declined["authorizationId"]!, new { amount = 1 });

        await response.AssertProblemAsync(HttpStatusCode.Conflict, "authorization_not_pending");
    }

    [Fact]
    public async Task Partial_then_full_reversal_gives_the_hold_and_the_ceiling_room_back()
    {
        var id = await _admin.CreateAccountAsync();
        var authorizationId = await _terminal.AuthorizedAsync(id, 12_000);

        var partial = await _terminal.ReverseAsync(id, authorizationId, new { amount = 2_000 }, key: "rev-partial-1");
        var rest = await _terminal.ReverseAsync(id, authorizationId, new { }, key: "rev-rest-1");

        Assert.Equal(HttpStatusCode.Created, partial.StatusCode);
        var first = await partial.JsonAsync();
        Assert.Equal(("rev-partial-1", 2_000L, 10_000L, 2_000L),
            ((string?)first["reversalId"], (long)first["amount"]!, (long)first["authorization"]!["held"]!, (long)first["authorization"]!["released"]!));
        var second = await rest.JsonAsync();
        Assert.Equal((10_000L, "reversed", 0L), ((long)second["amount"]!, (string?)second["authorization"]!["status"], (long)second["authorization"]!["held"]!));
        var view = await _admin.GetAccountAsync(id);
        Assert.Equal((100_000L, 0L, 100_000L), ((long)view["balance"]!, (long)view["held"]!, (long)view["available"]!));
        Assert.Equal(0, (long?)view["limits"]!["daily"]!["spent"]);
    }

    [Fact]
    public async Task Reversal_of_more_than_is_held_is_refused_and_records_nothing()
    {
        var id = await _admin.CreateAccountAsync();
        var authorizationId = await _terminal.AuthorizedAsync(id, 3_000);

        var response = await _terminal.ReverseAsync(id, authorizationId, new { amount = 3_001 });

        await response.AssertProblemAsync(HttpStatusCode.UnprocessableEntity, "reversal_exceeds_hold");
        Assert.Equal(3_000, (long?)(await _terminal.GetAuthorizationAsync(id, authorizationId))["held"]);
    }

    [Fact]
    public async Task Reversal_retry_with_the_same_key_replays_it()
    {
        var id = await _admin.CreateAccountAsync();
        var authorizationId = await _terminal.AuthorizedAsync(id, 3_000);
        await _terminal.ReverseAsync(id, authorizationId, new { amount = 1_000 }, key: "rev-retry-1");

        var retry = await _terminal.ReverseAsync(id, authorizationId, new { amount = 1_000 }, key: "rev-retry-1");

        Assert.Equal(HttpStatusCode.OK, retry.StatusCode);
        Assert.Equal("true", retry.Headers.GetValues("Idempotent-Replayed").Single());
        Assert.Equal(2_000, (long?)(await _terminal.GetAuthorizationAsync(id, authorizationId))["held"]);
    }

    public static TheoryData<string, string, string> MalformedWrites() => new()
    {
        { "captures", "{}", "amount" },
        { "captures", """{ "amount": 0 }""", "amount" },
        { "captures", """{ "amount": -1, "final": true }""", "amount" },
        { "reversals", """{ "amount": 0 }""", "amount" },
        { "reversals", """{ "amount": -10 }""", "amount" },
    };

    [Theory]
    [MemberData(nameof(MalformedWrites))]
    public async Task Malformed_capture_or_reversal_is_refused_and_records_nothing(string kind, string json, string field)
    {
        var id = await _admin.CreateAccountAsync();
        var authorizationId = await _terminal.AuthorizedAsync(id, 3_000);

        var response = await _terminal.PostAsync($"/v1/accounts/{id}/authorizations/{authorizationId}/{kind}",
            new StringContent(json, System.Text.Encoding.UTF8, "application/json"));

        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest, "validation_failed");
        Assert.NotNull(problem["errors"]![field]);
        Assert.Equal(2, (long?)(await _admin.GetAccountAsync(id))["version"]);
    }

    [Fact]
    public async Task Malformed_authorization_id_is_a_validation_problem()
    {
        var id = await _admin.CreateAccountAsync();
        var tooLong = new string('a', 129);

        var read = await _terminal.GetAsync($"/v1/accounts/{id}/authorizations/{tooLong}");
        var capture = await _terminal.CaptureAsync(id, tooLong, new { amount = 1 });

        await read.AssertProblemAsync(HttpStatusCode.BadRequest, "validation_failed");
        await capture.AssertProblemAsync(HttpStatusCode.BadRequest, "validation_failed");
    }

    [Fact]
    public async Task Without_a_cluster_to_decide_every_write_is_unavailable_with_retry_after_and_a_retry_makes_it()
    {
        var id = await _admin.CreateAccountAsync();
        var authorizationId = await _terminal.AuthorizedAsync(id, 5_000);
        var before = await _admin.GetAccountAsync(id);

        HttpResponseMessage[] answers;
        try
        {
            Assert.Equal(HttpStatusCode.OK, (await _admin.PutAsJsonAsync("/v1/regions/region-a/routing", new { forceFailover = true })).StatusCode);
            answers =
            [
                await _terminal.AuthorizeAsync(id, 1_000, key: "auth-503-1"),
                await _terminal.CaptureAsync(id, authorizationId, new { amount = 1_000 }, key: "cap-503-1"),
                await _terminal.ReverseAsync(id, authorizationId, new { amount = 1_000 }, key: "rev-503-1"),
            ];
        }
        finally
        {
            // The other tests of the collection need region-a's cluster.
            Assert.Equal(HttpStatusCode.OK, (await _admin.PutAsJsonAsync("/v1/regions/region-a/routing", new { forceFailover = false })).StatusCode);
        }

        foreach (var answer in answers)
        {
            await answer.AssertProblemAsync(HttpStatusCode.ServiceUnavailable, "unavailable");
            Assert.True(answer.Headers.RetryAfter?.Delta >= TimeSpan.FromSeconds(1));
        }

        Assert.Equal(before.ToJsonString(), (await _admin.GetAccountAsync(id)).ToJsonString());
        var retried = await _terminal.AuthorizeAsync(id, 1_000, key: "auth-503-1");
        Assert.Equal(HttpStatusCode.Created, retried.StatusCode);
        Assert.Equal(6_000, (long?)(await _admin.GetAccountAsync(id))["held"]);
    }
}
