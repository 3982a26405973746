using Payments.Contracts;
using Payments.Ledger;
using Payments.Ledger.Changes;

namespace Payments.Grains.Tests.Cluster;

/// <summary>Advices through the account grain: what the network decided, recorded as it is, never declined, replayed on resend.</summary>
[Collection(ClusterCollection.Name)]
public sealed class AdviceTests(ClusterFixture cluster) : IClassFixture<ClusterFixture>
{
    [Fact]
    public async Task A_payment_advice_over_the_balance_and_the_ceiling_is_recorded_and_says_what_it_overran()
    {
        var account = await cluster.OpenAsync(10_000, new AccountLimits(null, 5_000, null, null));

        var advice = await account.AdviseAsync(Advice(AdviceKind.Payment, 12_000, "net-1", cluster.Clock.GetUtcNow().AddMinutes(-5)));

        Assert.Equal(RecordOutcome.Created, advice.Outcome);
        var payment = advice.Payment!;
        Assert.Equal((PaymentStatus.Approved, -2_000L), (payment.Status, payment.BalanceAfter));
        Assert.Equal(["daily"], payment.Network!.OverLimits);
        var view = (await account.GetViewAsync())!;
        Assert.Equal((true, 12_000L), (view.Overdrawn, view.Limits.Daily.Spent));
        Assert.Equal(payment, await account.GetPaymentAsync("net-1"));
        Assert.Equal(-2_000, (await LedgerAudit.OfAsync(cluster.Ledger, account.GetPrimaryKeyString())).Balance);
    }

    [Fact]
    public async Task A_resent_advice_replays_the_first_one_whatever_it_says()
    {
        var account = await cluster.OpenAsync(10_000);
        var decidedAt = cluster.Clock.GetUtcNow().AddMinutes(-1);
        var first = await account.AdviseAsync(Advice(AdviceKind.Payment, 1_000, "net-2", decidedAt));
        await cluster.Cluster.DeactivateAsync(account);

        var resent = await account.AdviseAsync(Advice(AdviceKind.Payment, 1_000, "net-2", decidedAt));
        var changed = await account.AdviseAsync(Advice(AdviceKind.Payment, 1_500, "net-2", decidedAt));

        Assert.Equal((RecordOutcome.Replayed, RecordOutcome.Replayed), (resent.Outcome, changed.Outcome));
        Assert.Equal((first.Payment, first.Payment), (resent.Payment, changed.Payment));
        Assert.Equal(9_000, (await LedgerAudit.OfAsync(cluster.Ledger, account.GetPrimaryKeyString())).Balance);
    }

    [Fact]
    public async Task An_authorization_advice_holds_from_its_decision_and_is_captured_like_any_authorization()
    {
        var account = await cluster.OpenAsync(10_000);
        var decidedAt = cluster.Clock.GetUtcNow().AddHours(-1);

        var authorization = (await account.AdviseAsync(Advice(AdviceKind.Authorization, 4_000, "net-3", decidedAt))).Authorization!;
        var capture = await account.CaptureAsync(new CaptureRequest("net-3", 4_000, true, null));

        Assert.Equal((AuthorizationStatus.Pending, 4_000L, decidedAt + TimeSpan.FromDays(7)),
            (authorization.Status, authorization.Held, authorization.ExpiresAt));
        Assert.Equal(decidedAt, authorization.Network!.DecidedAt);
        Assert.Equal((RecordOutcome.Created, 6_000L), (capture.Outcome, capture.Capture!.BalanceAfter));
        var listed = Assert.Single((await account.ListAuthorizationsAsync(null, 10, null))!.Items);
        Assert.Equal((AuthorizationStatus.Closed, "net-3"), (listed.Status, listed.Network!.NetworkReference));
        await LedgerAudit.OfAsync(cluster.Ledger, account.GetPrimaryKeyString());
    }

    [Fact]
    public async Task An_advice_of_yesterday_counts_in_yesterdays_period_not_in_todays()
    {
        var account = await cluster.OpenAsync(100_000);
        var yesterday = cluster.Calendar.Day(cluster.Calendar.BusinessDate(cluster.Clock.GetUtcNow())).Start.AddHours(-1);

        var advice = await account.AdviseAsync(Advice(AdviceKind.Payment, 3_000, "net-4", yesterday));

        Assert.Equal(RecordOutcome.Created, advice.Outcome);
        var row = (await cluster.Ledger.FindAsync(account.GetPrimaryKeyString(), "net-4", CancellationToken.None))!;
        // The row is of the day it was recorded (a settled day never changes); the spending is of the decision's day.
        Assert.Equal(cluster.Calendar.BusinessDate(cluster.Clock.GetUtcNow()), row.BusinessDate);
        Assert.Equal(cluster.Calendar.BusinessDate(yesterday), ((AdviceRecorded)row.Change).DecidedOn);
        Assert.Equal(0, (await account.GetViewAsync())!.Limits.Daily.Spent);
    }

    [Fact]
    public async Task An_advice_decided_in_the_future_or_over_30_days_ago_is_invalid()
    {
        var account = await cluster.OpenAsync(100_000);
        var now = cluster.Clock.GetUtcNow();

        var future = await account.AdviseAsync(Advice(AdviceKind.Payment, 100, "net-5", now.AddSeconds(1)));
        var old = await account.AdviseAsync(Advice(AdviceKind.Payment, 100, "net-6", now.AddDays(-30).AddSeconds(-1)));

        Assert.Equal((RecordOutcome.Invalid, RecordOutcome.Invalid), (future.Outcome, old.Outcome));
        Assert.Single((await LedgerAudit.OfAsync(cluster.Ledger, account.GetPrimaryKeyString())).Rows);
    }

    [Fact]
    public async Task A_network_reference_that_another_request_used_as_its_key_is_a_reused_key()
    {
        var account = await cluster.OpenAsync(100_000);
        await account.PayAsync(new PaymentRequest(100, "EUR", "Shop", "5411", "shared-id"));

        var advice = await account.AdviseAsync(Advice(AdviceKind.Payment, 100, "shared-id", cluster.Clock.GetUtcNow()));

        Assert.Equal(RecordOutcome.KeyReused, advice.Outcome);
        Assert.Equal(EntryKind.Payment, (await cluster.Ledger.FindAsync(account.GetPrimaryKeyString(), "shared-id", CancellationToken.None))!.Kind);
    }

    private static AdviceRequest Advice(AdviceKind kind, long amount, string reference, DateTimeOffset decidedAt) =>
        new(kind, amount, "EUR", "Station Total", "5542", decidedAt, reference);
}
