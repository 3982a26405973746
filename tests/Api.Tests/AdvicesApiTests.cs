using System.Globalization;
using System.Net;

namespace Payments.Api.Tests;

/// <summary>Advices through the API: what the network decided, recorded as it is, replayed on a resend of its reference.</summary>
[Collection(ApiCollection.Name)]
public sealed class AdvicesApiTests(ApiFixture fixture)
{
    private readonly HttpClient _admin = fixture.Client(ApiFixture.AdminKey);
    private readonly HttpClient _terminal = fixture.Client(ApiFixture.TerminalKey);
    private readonly HttpClient _network = fixture.Client(ApiFixture.NetworkKey);

    [Fact]
    public async Task Payment_advice_is_recorded_even_over_the_balance_and_a_resend_replays_it()
    {
        var id = await _admin.CreateAccountAsync(initialBalance: 1_000);
        var reference = $"nw-{Guid.NewGuid():N}";

        var first = await AdviseAsync(id, "payment", 5_000, reference, DateTimeOffset.UtcNow.AddHours(-1));
        var resent = await AdviseAsync(id, "payment", 5_000, reference, DateTimeOffset.UtcNow.AddHours(-1).AddTicks(0));

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        var payment = await first.JsonAsync();
        Assert.Equal(("approved", 5_000L, -4_000L), ((string?)payment["status"], (long)payment["amount"]!, (long)payment["balanceAfter"]!));
        Assert.Equal((reference, true), ((string?)payment["paymentId"], (bool)payment["advice"]!));
        Assert.NotNull(payment["decidedAt"]);
        Assert.Empty(payment["overLimits"]!.AsArray());
        // The contract's fields and nothing else: the network's reference is the payment's id already.
        Assert.Equal(
            ["accountId", "advice", "amount", "balanceAfter", "createdAt", "currency", "decidedAt", "decidedBy", "declineReason", "mcc",
                "merchant", "overLimits", "paymentId", "status"],
            payment.Select(field => field.Key).Order(StringComparer.Ordinal));
        Assert.Equal(payment.ToJsonString(), (await resent.JsonAsync()).ToJsonString());
        Assert.Equal(HttpStatusCode.OK, resent.StatusCode);
        Assert.Equal("true", resent.Headers.GetValues("Idempotent-Replayed").Single());
        var view = await _admin.GetAccountAsync(id);
        Assert.Equal((-4_000L, true), ((long)view["balance"]!, (bool)view["overdrawn"]!));
    }

    [Fact]
    public async Task Authorization_advice_holds_money_like_any_authorization()
    {
        var id = await _admin.CreateAccountAsync();

        var response = await AdviseAsync(id, "authorization", 3_000, $"nw-{Guid.NewGuid():N}", DateTimeOffset.UtcNow.AddMinutes(-5));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var authorization = await response.JsonAsync();
        Assert.Equal(("pending", 3_000L, true), ((string?)authorization["status"], (long)authorization["held"]!, (bool)authorization["advice"]!));
        Assert.Equal(3_000, (long?)(await _admin.GetAccountAsync(id))["held"]);
        var capture = await _terminal.CaptureAsync(id, (string)authorization["authorizationId"]!, new { amount = 3_000, final = true });
        Assert.Equal(HttpStatusCode.Created, capture.StatusCode);
    }

    [Theory]
    [InlineData(-31 * 24 * 60)]
    [InlineData(60)]
    public async Task Advice_decided_over_30_days_ago_or_in_the_future_is_refused(int minutesFromNow)
    {
        var id = await _admin.CreateAccountAsync();

        var response = await AdviseAsync(id, "payment", 100, $"nw-{Guid.NewGuid():N}", DateTimeOffset.UtcNow.AddMinutes(minutesFromNow));

        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest, "validation_failed");
        Assert.NotNull(problem["errors"]!["decidedAt"]);
        Assert.Equal(1, (long?)(await _admin.GetAccountAsync(id))["version"]);
    }

    [Fact]
    public async Task Advice_without_a_reference_or_kind_is_refused_and_only_the_network_may_send_one()
    {
        var id = await _admin.CreateAccountAsync();
        var body = new { amount = 100, currency = "EUR", merchant = "Shop", mcc = "5411", decidedAt = DateTimeOffset.UtcNow.AddMinutes(-1) };

        var malformed = await _network.PostJsonAsync($"/v1/accounts/{id}/advices", body);
        var byTerminal = await _terminal.PostJsonAsync($"/v1/accounts/{id}/advices", body);

        var problem = await malformed.AssertProblemAsync(HttpStatusCode.BadRequest, "validation_failed");
        Assert.NotNull(problem["errors"]!["networkReference"]);
        Assert.NotNull(problem["errors"]!["kind"]);
        await byTerminal.AssertProblemAsync(HttpStatusCode.Forbidden, "forbidden");
    }

    private Task<HttpResponseMessage> AdviseAsync(string accountId, string kind, long amount, string networkReference, DateTimeOffset decidedAt) =>
        _network.PostJsonAsync($"/v1/accounts/{accountId}/advices", new
        {
            kind,
            amount,
            currency = "EUR",
            merchant = "Station Service",
            mcc = "5542",
            decidedAt = decidedAt.ToString("yyyy-MM-ddTHH:mm:sszzz", CultureInfo.InvariantCulture),
            networkReference,
        });
}
