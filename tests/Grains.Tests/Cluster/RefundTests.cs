using Payments.Contracts;

namespace Payments.Grains.Tests.Cluster;

/// <summary>Refunds through the account grain: credits that give no ceiling room back, never more than what they refund.</summary>
[Collection(ClusterCollection.Name)]
public sealed class RefundTests(ClusterFixture cluster) : IClassFixture<ClusterFixture>
{
    [Fact]
    public async Task A_refund_credits_the_balance_and_gives_no_ceiling_room_back()
    {
        var account = await cluster.OpenAsync(100_000);
        var payment = (await account.PayAsync(Shop(5_000))).Payment!;

        var refund = await account.RefundAsync(Refund(2_000, payment.PaymentId));

        Assert.Equal((RecordOutcome.Created, 97_000L), (refund.Outcome, refund.Refund!.BalanceAfter));
        var view = (await account.GetViewAsync())!;
        Assert.Equal((97_000L, 5_000L), (view.Balance, view.Limits.Daily.Spent));
        Assert.Equal(97_000, (await LedgerAudit.OfAsync(cluster.Ledger, account.GetPrimaryKeyString())).Balance);
    }

    [Fact]
    public async Task Refunds_of_one_payment_never_total_more_than_it()
    {
        var account = await cluster.OpenAsync(100_000);
        var payment = (await account.PayAsync(Shop(5_000))).Payment!;

        var first = await account.RefundAsync(Refund(3_000, payment.PaymentId));
        var tooMuch = await account.RefundAsync(Refund(2_001, payment.PaymentId));
        var rest = await account.RefundAsync(Refund(2_000, payment.PaymentId));

        Assert.Equal([RecordOutcome.Created, RecordOutcome.RefundExceedsPayment, RecordOutcome.Created],
            new[] { first.Outcome, tooMuch.Outcome, rest.Outcome });
        Assert.Equal(100_000, (await LedgerAudit.OfAsync(cluster.Ledger, account.GetPrimaryKeyString())).Balance);
    }

    [Fact]
    public async Task Concurrent_refunds_of_one_payment_are_decided_one_after_the_other()
    {
        var account = await cluster.OpenAsync(100_000);
        var payment = (await account.PayAsync(Shop(5_000))).Payment!;

        var refunds = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() => account.RefundAsync(Refund(2_000, payment.PaymentId)))));

        Assert.Equal(2, refunds.Count(r => r.Outcome == RecordOutcome.Created));
        Assert.Equal(6, refunds.Count(r => r.Outcome == RecordOutcome.RefundExceedsPayment));
        Assert.Equal(99_000, (await LedgerAudit.OfAsync(cluster.Ledger, account.GetPrimaryKeyString())).Balance);
    }

    [Fact]
    public async Task A_capture_can_be_refunded_up_to_what_it_captured_also_after_a_restart()
    {
        var account = await cluster.OpenAsync(100_000);
        var id = (await account.AuthorizeAsync(new AuthorizationRequest(10_000, "EUR", "Hôtel du Lac", "7011", null))).Authorization!.AuthorizationId;
        var capture = (await account.CaptureAsync(new CaptureRequest(id, 8_000, true, null))).Capture!;
        await account.RefundAsync(Refund(5_000, capture.CaptureId));
        await cluster.Cluster.DeactivateAsync(account);

        var over = await account.RefundAsync(Refund(3_001, capture.CaptureId));
        var exactly = await account.RefundAsync(Refund(3_000, capture.CaptureId));

        Assert.Equal((RecordOutcome.RefundExceedsPayment, RecordOutcome.Created), (over.Outcome, exactly.Outcome));
        Assert.Equal(100_000, (await LedgerAudit.OfAsync(cluster.Ledger, account.GetPrimaryKeyString())).Balance);
    }

    [Fact]
    public async Task A_refund_of_an_unknown_payment_or_of_what_is_no_payment_is_not_found()
    {
        var account = await cluster.OpenAsync(100_000);
        var id = (await account.AuthorizeAsync(new AuthorizationRequest(1_000, "EUR", "Hôtel du Lac", "7011", null))).Authorization!.AuthorizationId;

        var unknown = await account.RefundAsync(Refund(100, "nope"));
        var ofAuthorization = await account.RefundAsync(Refund(100, id));

        Assert.Equal((RecordOutcome.PaymentNotFound, RecordOutcome.PaymentNotFound), (unknown.Outcome, ofAuthorization.Outcome));
        Assert.Equal(2, (await LedgerAudit.OfAsync(cluster.Ledger, account.GetPrimaryKeyString())).Rows.Count);
    }

    [Fact]
    public async Task A_refund_of_no_payment_and_a_retried_refund_credit_once()
    {
        var account = await cluster.OpenAsync(100_000);

        var first = await account.RefundAsync(Refund(700, null, "ref-1"));
        var retry = await account.RefundAsync(Refund(700, null, "ref-1"));
        var reused = await account.RefundAsync(Refund(800, null, "ref-1"));

        Assert.Equal((RecordOutcome.Created, RecordOutcome.Replayed, RecordOutcome.KeyReused), (first.Outcome, retry.Outcome, reused.Outcome));
        Assert.Equal((first.Refund, null), (retry.Refund, reused.Refund));
        Assert.Equal(100_700, (await LedgerAudit.OfAsync(cluster.Ledger, account.GetPrimaryKeyString())).Balance);
    }

    [Fact]
    public async Task A_refund_in_another_currency_is_invalid_and_records_nothing()
    {
        var account = await cluster.OpenAsync(100_000);

        var refund = await account.RefundAsync(new RefundRequest(100, "USD", "Shop", "5411", null, null));

        Assert.Equal(RecordOutcome.Invalid, refund.Outcome);
        Assert.Single((await LedgerAudit.OfAsync(cluster.Ledger, account.GetPrimaryKeyString())).Rows);
    }

    private static PaymentRequest Shop(long amount) => new(amount, "EUR", "Shop", "5411", null);

    private static RefundRequest Refund(long amount, string? paymentId, string? key = null) => new(amount, "EUR", "Shop", "5411", paymentId, key);
}
