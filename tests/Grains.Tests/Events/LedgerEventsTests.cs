using System.Text.Json;
using System.Text.Json.Nodes;
using Payments.Contracts;
using Payments.Events;
using Payments.Grains.Tests.Cluster;
using Payments.Ledger;

namespace Payments.Grains.Tests.Events;

/// <summary>
/// Every kind of ledger row is an event of the contract, read through the feed as the API reads it. The scenario
/// makes one row of every <see cref="EntryKind"/>: a kind added without an event type, or without a row here, fails
/// this test instead of stopping the feed (a 500) and the webhooks in production.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class LedgerEventsTests(ClusterFixture cluster) : IClassFixture<ClusterFixture>
{
    [Fact]
    public async Task Every_kind_of_ledger_row_is_an_event_of_a_contract_type()
    {
        var (account, _) = await RecordEveryKindAsync();

        var rows = await cluster.Ledger.ReadAfterAsync(account.GetPrimaryKeyString(), 0, CancellationToken.None);
        var events = await ReadFeedAsync(account);

        Assert.Empty(Enum.GetValues<EntryKind>().Except(rows.Select(r => r.Kind)));
        Assert.Equal(rows.Select(r => r.Seq.ToString(System.Globalization.CultureInfo.InvariantCulture)), events.Select(e => (string)e["sequence"]!));
        Assert.All(events, e => Assert.Contains((string)e["type"]!, EventTypes.All));
    }

    [Fact]
    public async Task Authorization_events_are_typed_by_what_happened_and_carry_what_the_grain_answered()
    {
        var (account, answers) = await RecordEveryKindAsync();

        var events = await ReadFeedAsync(account);

        var authorizationEvents = events.Where(e => ((string)e["type"]!).StartsWith("authorization.", StringComparison.Ordinal)).ToList();
        Assert.Equal(answers.Select(a => a.Type), authorizationEvents.Select(e => (string)e["type"]!));
        Assert.All(answers.Zip(authorizationEvents), pair =>
            Assert.True(JsonNode.DeepEquals(JsonSerializer.SerializeToNode(pair.First.Answer, pair.First.Answer.GetType(), CloudEventJson.DataOptions), pair.Second["data"]),
                $"{pair.First.Type}: {pair.Second["data"]!.ToJsonString()}"));
    }

    [Fact]
    public async Task A_type_filter_reads_only_its_types_and_a_prefix_reads_every_type_under_it()
    {
        var (account, answers) = await RecordEveryKindAsync();

        var lifecycle = await ReadFeedAsync(account, "authorization.*");
        var two = await ReadFeedAsync(account, "authorization.expired", "account.opened");

        Assert.Equal(answers.Select(a => a.Type), lifecycle.Select(e => (string)e["type"]!));
        Assert.Equal([EventTypes.AccountOpened, EventTypes.AuthorizationExpired], two.Select(e => (string)e["type"]!));
    }

    [Fact]
    public async Task Advices_come_as_the_payment_or_the_authorization_type_and_a_type_filter_tells_them_apart()
    {
        var account = await cluster.OpenAsync(100_000);
        var now = cluster.Clock.GetUtcNow();
        var payment = (await account.AdviseAsync(new AdviceRequest(AdviceKind.Payment, 300, "EUR", "Station", "5542", now, "net-p"))).Payment!;
        var hold = (await account.AdviseAsync(new AdviceRequest(AdviceKind.Authorization, 400, "EUR", "Hotel", "7011", now, "net-a"))).Authorization!;

        var all = await ReadFeedAsync(account);
        var pending = await ReadFeedAsync(account, EventTypes.AuthorizationPending);

        Assert.Equal([EventTypes.AccountOpened, EventTypes.PaymentApproved, EventTypes.AuthorizationPending], all.Select(e => (string)e["type"]!));
        Assert.True(JsonNode.DeepEquals(JsonSerializer.SerializeToNode(payment, CloudEventJson.DataOptions), all[1]["data"]));
        Assert.True(JsonNode.DeepEquals(JsonSerializer.SerializeToNode(hold, CloudEventJson.DataOptions), all[2]["data"]));
        Assert.Equal([all[2]["id"]!.ToJsonString()], pending.Select(e => e["id"]!.ToJsonString()));
    }

    /// <summary>
    /// One row of every kind on a fresh account; returns the grain's answers to the authorization requests (and the
    /// authorization after its expiry), in ledger order, with the event type each must come as.
    /// </summary>
    private async Task<(IAccountGrain Account, List<(string Type, object Answer)> Answers)> RecordEveryKindAsync()
    {
        var account = await cluster.OpenAsync(100_000);
        await account.PayAsync(new PaymentRequest(1_000, "EUR", "Shop", "5411", null));
        await account.DepositAsync(new DepositRequest(500, "EUR", "salary", null));
        await account.UpdateAsync(new AccountUpdate(new AccountLimits(null, 90_000, null, null), null));

        var answers = new List<(string, object)>();
        var hold = (await account.AuthorizeAsync(Hotel(20_000))).Authorization!;
        answers.Add((EventTypes.AuthorizationPending, hold));
        answers.Add((EventTypes.AuthorizationDeclined, (await account.AuthorizeAsync(Hotel(500_000))).Authorization!));
        var incremented = (await account.IncrementAsync(new IncrementRequest(hold.AuthorizationId, 1_000, null))).Increment!;
        answers.Add((EventTypes.AuthorizationIncremented, incremented));
        answers.Add((EventTypes.AuthorizationCaptured, (await account.CaptureAsync(new CaptureRequest(hold.AuthorizationId, 5_000, false, null))).Capture!));
        answers.Add((EventTypes.AuthorizationReversed, (await account.ReverseAsync(new ReversalRequest(hold.AuthorizationId, 3_000, null))).Reversal!));

        await account.RefundAsync(new RefundRequest(200, "EUR", "Shop", "5411", null, null));
        await account.AdviseAsync(new AdviceRequest(AdviceKind.Payment, 300, "EUR", "Station", "5542", cluster.Clock.GetUtcNow(), "net-1"));

        cluster.MoveClockTo(incremented.Authorization.ExpiresAt!.Value);
        await account.ExpireDueHoldsAsync();
        answers.Add((EventTypes.AuthorizationExpired, (await account.GetAuthorizationAsync(hold.AuthorizationId))!));
        return (account, answers);
    }

    private async Task<List<JsonNode>> ReadFeedAsync(IAccountGrain account, params string[] types)
    {
        var page = await cluster.Client.GetGrain<IEventFeedGrain>(0)
            .ReadAsync(new EventQuery(FeedPosition.Start, 100, types, account.GetPrimaryKeyString()));
        return page.Items.Select(item => JsonNode.Parse(item)!).ToList();
    }

    private static AuthorizationRequest Hotel(long amount) => new(amount, "EUR", "Hôtel du Lac", "7011", null);
}
