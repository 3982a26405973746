using Payments.Accounts;
using Payments.Contracts;
using Payments.Grains.Tests.Support;
using Payments.Ledger;

namespace Payments.Grains.Tests.Cluster;

/// <summary>
/// A second activation of the account (another region during a failover) wrote to the ledger behind this one's
/// back: the row's seq is taken, so this activation must catch up from the ledger and decide again.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class FencingTests(ClusterFixture cluster) : IClassFixture<ClusterFixture>
{
    [Fact]
    public async Task Payment_after_a_foreign_write_catches_up_and_decides_on_the_ledger_balance()
    {
        var account = await cluster.OpenAsync(10_000);
        var id = account.GetPrimaryKeyString();
        await account.PayAsync(new PaymentRequest(1_000, "EUR", "Shop", "5411", null));

        await AppendForeignAsync(id, seq: 3, amount: 8_000, balanceAfter: 1_000, entryId: "region-b-1", RequestFingerprint.Of(Payment(8_000)));
        var declined = await account.PayAsync(Payment(2_000));
        var approved = await account.PayAsync(Payment(600));

        Assert.Equal((PaymentStatus.Declined, DeclineReason.InsufficientFunds, 1_000L), (declined.Payment!.Status, declined.Payment.DeclineReason, declined.Payment.BalanceAfter));
        Assert.Equal((PaymentStatus.Approved, 400L), (approved.Payment!.Status, approved.Payment.BalanceAfter));
        var audit = await LedgerAudit.OfAsync(cluster.Ledger, id);
        Assert.Equal([EntryKind.Open, EntryKind.Payment, EntryKind.Payment, EntryKind.Payment, EntryKind.Payment], audit.Rows.Select(e => e.Kind));
        Assert.Equal(["region-a", "region-b", "region-a", "region-a"], audit.Rows.Skip(1).Select(e => e.DecidedBy));
        Assert.Equal(declined.Payment, audit.Rows[3].ToPayment());
        Assert.Equal(approved.Payment, audit.Rows[4].ToPayment());
        var view = (await account.GetViewAsync())!;
        Assert.Equal((400L, 5L, 9_600L), (view.Balance, view.Version, view.Limits.Daily.Spent));
    }

    [Fact]
    public async Task Several_foreign_rows_are_all_taken_in_before_the_next_decision()
    {
        var account = await cluster.OpenAsync(10_000, new AccountLimits(null, 9_000, null, null));
        var id = account.GetPrimaryKeyString();
        await account.GetViewAsync();

        await AppendForeignAsync(id, seq: 2, amount: 3_000, balanceAfter: 7_000, entryId: "region-b-1", "hash-1");
        await AppendForeignAsync(id, seq: 3, amount: 3_000, balanceAfter: 4_000, entryId: "region-b-2", "hash-2");
        await AppendForeignAsync(id, seq: 4, amount: 2_500, balanceAfter: 1_500, entryId: "region-b-3", "hash-3");
        var overDaily = await account.PayAsync(Payment(1_000));
        var withinDaily = await account.PayAsync(Payment(500));

        Assert.Equal(DeclineReason.DailyLimitExceeded, overDaily.Payment!.DeclineReason);
        Assert.Equal((PaymentStatus.Approved, 1_000L), (withinDaily.Payment!.Status, withinDaily.Payment.BalanceAfter));
        var audit = await LedgerAudit.OfAsync(cluster.Ledger, id);
        Assert.Equal(6, audit.Rows.Count);
        Assert.Equal(9_000, audit.ApprovedSum);
    }

    [Fact]
    public async Task Retry_of_a_payment_another_region_already_decided_replays_that_decision()
    {
        var account = await cluster.OpenAsync(10_000);
        var id = account.GetPrimaryKeyString();
        var key = $"key-{Guid.NewGuid():N}";
        var request = new PaymentRequest(4_000, "EUR", "Shop", "5411", key);
        await account.GetViewAsync();

        // Region B decided this payment during a failover; the client's retry lands here.
        await AppendForeignAsync(id, seq: 2, amount: 4_000, balanceAfter: 6_000, entryId: key, RequestFingerprint.Of(request));
        var retry = await account.PayAsync(request);
        var reused = await account.PayAsync(request with { Amount = 4_001 });

        Assert.Equal(RecordOutcome.Replayed, retry.Outcome);
        Assert.Equal((key, 6_000L, "region-b"), (retry.Payment!.PaymentId, retry.Payment.BalanceAfter, retry.Payment.DecidedBy));
        Assert.Equal(RecordOutcome.KeyReused, reused.Outcome);
        var audit = await LedgerAudit.OfAsync(cluster.Ledger, id);
        Assert.Equal(2, audit.Rows.Count);
        Assert.Equal(6_000, (await account.GetViewAsync())!.Balance);
    }

    private async Task AppendForeignAsync(string accountId, long seq, long amount, long balanceAfter, string entryId, string requestHash)
    {
        var now = cluster.Clock.GetUtcNow();
        var row = ForeignRows.Payment(accountId, seq, entryId, requestHash, amount, balanceAfter, now, cluster.Calendar.BusinessDate(now));
        var appended = await cluster.Ledger.AppendAsync([row], CancellationToken.None);
        Assert.Equal([true], appended);
    }

    private static PaymentRequest Payment(long amount) => new(amount, "EUR", "Shop", "5411", null);
}
