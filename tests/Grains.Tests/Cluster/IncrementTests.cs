using Payments.Contracts;

namespace Payments.Grains.Tests.Cluster;

/// <summary>Increments of a pending hold through the account grain, with the fake clock. Region-a holds for seven days.</summary>
[Collection(ClusterCollection.Name)]
public sealed class IncrementTests(ClusterFixture cluster) : IClassFixture<ClusterFixture>
{
    private static readonly TimeSpan HoldPeriod = TimeSpan.FromDays(7);

    [Fact]
    public async Task An_approved_increment_holds_more_counts_in_the_period_and_starts_the_hold_period_over()
    {
        var account = await cluster.OpenAsync(100_000);
        var id = (await account.AuthorizeAsync(Hotel(10_000))).Authorization!.AuthorizationId;
        cluster.MoveClockTo(cluster.Clock.GetUtcNow().AddDays(2));

        var increment = (await account.IncrementAsync(new IncrementRequest(id, 3_000, null))).Increment!;

        Assert.Equal((PaymentStatus.Approved, 13_000L), (increment.Status, increment.Authorization.Held));
        Assert.Equal(increment.CreatedAt + HoldPeriod, increment.Authorization.ExpiresAt);
        var view = (await account.GetViewAsync())!;
        Assert.Equal((13_000L, 87_000L), (view.Held, view.Available));
        await LedgerAudit.OfAsync(cluster.Ledger, account.GetPrimaryKeyString());
    }

    [Fact]
    public async Task An_increment_past_available_money_is_declined_and_leaves_the_hold_as_it_was()
    {
        var account = await cluster.OpenAsync(12_000);
        var authorization = (await account.AuthorizeAsync(Hotel(10_000))).Authorization!;

        var increment = (await account.IncrementAsync(new IncrementRequest(authorization.AuthorizationId, 3_000, null))).Increment!;

        Assert.Equal((PaymentStatus.Declined, DeclineReason.InsufficientFunds), (increment.Status, increment.DeclineReason));
        Assert.Equal((10_000L, authorization.ExpiresAt), (increment.Authorization.Held, increment.Authorization.ExpiresAt));
        Assert.Equal(2_000, (await account.GetViewAsync())!.Available);
    }

    [Fact]
    public async Task The_per_payment_ceiling_bounds_the_new_total_hold_before_available_money()
    {
        // Per payment 50,000: 30,000 held plus 25,000 more would be one hold of 55,000; the balance would not cover it either.
        var account = await cluster.OpenAsync(40_000);
        var id = (await account.AuthorizeAsync(Hotel(30_000))).Authorization!.AuthorizationId;

        var increment = (await account.IncrementAsync(new IncrementRequest(id, 25_000, null))).Increment!;

        Assert.Equal(DeclineReason.PerPaymentLimitExceeded, increment.DeclineReason);
    }

    [Fact]
    public async Task The_daily_ceiling_bounds_the_increment()
    {
        var account = await cluster.OpenAsync(500_000, new AccountLimits(null, 20_000, null, null));
        var id = (await account.AuthorizeAsync(Hotel(15_000))).Authorization!.AuthorizationId;

        var over = (await account.IncrementAsync(new IncrementRequest(id, 5_001, null))).Increment!;
        var within = (await account.IncrementAsync(new IncrementRequest(id, 5_000, null))).Increment!;

        Assert.Equal(DeclineReason.DailyLimitExceeded, over.DeclineReason);
        Assert.Equal(PaymentStatus.Approved, within.Status);
        Assert.Equal(20_000, (await account.GetViewAsync())!.Limits.Daily.Spent);
    }

    [Fact]
    public async Task Increments_raise_the_capture_cap_to_the_authorized_total()
    {
        var account = await cluster.OpenAsync(100_000);
        var id = (await account.AuthorizeAsync(Hotel(10_000))).Authorization!.AuthorizationId;
        await account.IncrementAsync(new IncrementRequest(id, 2_000, null));

        var reversal = (await account.ReverseAsync(new ReversalRequest(id, 1_000, null))).Reversal!;
        var capture = await account.CaptureAsync(new CaptureRequest(id, 12_000, true, null));

        Assert.Equal(11_000, reversal.Authorization.Held);
        Assert.Equal((RecordOutcome.Created, true), (capture.Outcome, capture.Capture!.ExceedsHold));
        Assert.Equal(88_000, (await LedgerAudit.OfAsync(cluster.Ledger, account.GetPrimaryKeyString())).Balance);
    }

    [Fact]
    public async Task An_increment_of_an_expired_or_closed_authorization_is_refused_and_records_nothing()
    {
        var account = await cluster.OpenAsync(100_000);
        var expiring = (await account.AuthorizeAsync(Hotel(1_000))).Authorization!.AuthorizationId;
        var closed = (await account.AuthorizeAsync(Hotel(1_000))).Authorization!.AuthorizationId;
        await account.CaptureAsync(new CaptureRequest(closed, 1_000, true, null));
        cluster.MoveClockTo(cluster.Clock.GetUtcNow() + HoldPeriod);
        var rowsBefore = (await LedgerAudit.OfAsync(cluster.Ledger, account.GetPrimaryKeyString())).Rows.Count;

        var ofExpired = await account.IncrementAsync(new IncrementRequest(expiring, 500, null));
        var ofClosed = await account.IncrementAsync(new IncrementRequest(closed, 500, null));
        var ofUnknown = await account.IncrementAsync(new IncrementRequest("nope", 500, null));

        Assert.Equal(
            [RecordOutcome.AuthorizationNotPending, RecordOutcome.AuthorizationNotPending, RecordOutcome.AuthorizationNotFound],
            new[] { ofExpired.Outcome, ofClosed.Outcome, ofUnknown.Outcome });
        // The only row since: the expired hold's release, which the refused increment's turn wrote first.
        Assert.Equal(rowsBefore + 1, (await LedgerAudit.OfAsync(cluster.Ledger, account.GetPrimaryKeyString())).Rows.Count);
    }

    [Fact]
    public async Task A_retried_increment_replays_and_a_reused_key_is_refused()
    {
        var account = await cluster.OpenAsync(100_000);
        var id = (await account.AuthorizeAsync(Hotel(10_000))).Authorization!.AuthorizationId;

        var first = await account.IncrementAsync(new IncrementRequest(id, 1_000, "inc-1"));
        await cluster.Cluster.DeactivateAsync(account);
        var retry = await account.IncrementAsync(new IncrementRequest(id, 1_000, "inc-1"));
        var reused = await account.IncrementAsync(new IncrementRequest(id, 2_000, "inc-1"));

        Assert.Equal((RecordOutcome.Created, RecordOutcome.Replayed, RecordOutcome.KeyReused), (first.Outcome, retry.Outcome, reused.Outcome));
        Assert.Equal(11_000, (await account.GetAuthorizationAsync(id))!.Held);
    }

    private static AuthorizationRequest Hotel(long amount) => new(amount, "EUR", "Hôtel du Lac", "7011", null);
}
