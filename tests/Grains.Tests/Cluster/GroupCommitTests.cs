using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Payments.Accounts;
using Payments.Contracts;
using Payments.Grains.Tests.Support;
using Payments.Ledger;

namespace Payments.Grains.Tests.Cluster;

/// <summary>
/// The account's own group commit: payments that queue while its previous append commits are decided one after the
/// other on memory and made durable together. The answers, the ledger and the view must still tell one story.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class GroupCommitTests(ClusterFixture cluster) : IClassFixture<ClusterFixture>
{
    [Fact]
    public async Task Payments_queued_on_one_account_are_made_durable_in_groups_of_several()
    {
        var account = await cluster.OpenAsync(1_000_000);
        using var groups = new GroupSizes();

        var results = await Task.WhenAll(Enumerable.Range(0, 300).Select(i =>
            Task.Run(() => account.PayAsync(Payment(100 + i)))));

        Assert.All(results, r => Assert.Equal((RecordOutcome.Created, PaymentStatus.Approved), (r.Outcome, r.Payment!.Status)));
        Assert.Equal(300, groups.Rows.Sum());
        Assert.True(groups.Rows.Count < 300, $"{groups.Rows.Count} appends for 300 payments: none was grouped");
        var audit = await LedgerAudit.OfAsync(cluster.Ledger, account.GetPrimaryKeyString());
        Assert.Equal(results.Sum(r => r.Payment!.Amount), audit.ApprovedSum);
        Assert.Equal(1_000_000 - audit.ApprovedSum, (await account.GetViewAsync())!.Balance);
        Assert.All(results, r => Assert.Equal(r.Payment, audit.Rows.Single(e => e.EntryId == r.Payment!.PaymentId).ToPayment()));
    }

    [Fact]
    public async Task A_group_refused_for_a_foreign_row_is_decided_again_on_top_of_it()
    {
        var account = await cluster.OpenAsync(10_000);
        var id = account.GetPrimaryKeyString();
        await account.GetViewAsync();

        // Region B spent 9,000 behind this activation's back; the queued payments only see it when their append is refused.
        var now = cluster.Clock.GetUtcNow();
        var foreign = await cluster.Ledger.AppendAsync(
            [ForeignRows.Payment(id, 2, "region-b-1", "hash", 9_000, 1_000, now, cluster.Calendar.BusinessDate(now))],
            CancellationToken.None);
        Assert.Equal([true], foreign);
        var results = await Task.WhenAll(Enumerable.Range(0, 40).Select(_ => Task.Run(() => account.PayAsync(Payment(100)))));

        var approved = results.Count(r => r.Payment!.Status == PaymentStatus.Approved);
        Assert.Equal(10, approved);
        Assert.All(results.Where(r => r.Payment!.Status == PaymentStatus.Declined),
            r => Assert.Equal(DeclineReason.InsufficientFunds, r.Payment!.DeclineReason));
        var audit = await LedgerAudit.OfAsync(cluster.Ledger, id);
        Assert.Equal(42, audit.Rows.Count);
        Assert.Equal((0L, 0L), (audit.Balance, (await account.GetViewAsync())!.Balance));
    }

    [Fact]
    public async Task Retries_of_a_key_still_waiting_share_its_one_decision()
    {
        var account = await cluster.OpenAsync(100_000);
        var key = $"key-{Guid.NewGuid():N}";
        var request = new PaymentRequest(2_500, "EUR", "Shop", "5411", key);

        var others = Enumerable.Range(0, 30).Select(_ => Task.Run(() => account.PayAsync(Payment(10)))).ToList();
        var retries = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => Task.Run(() => account.PayAsync(request))));
        var reused = await account.PayAsync(request with { Amount = 2_501 });
        await Task.WhenAll(others);

        var first = Assert.Single(retries, r => r.Outcome == RecordOutcome.Created);
        Assert.All(retries, r => Assert.Equal(first.Payment, r.Payment));
        Assert.All(retries.Where(r => r != first), r => Assert.Equal(RecordOutcome.Replayed, r.Outcome));
        Assert.Equal(RecordOutcome.KeyReused, reused.Outcome);
        var audit = await LedgerAudit.OfAsync(cluster.Ledger, account.GetPrimaryKeyString());
        Assert.Equal(first.Payment, Assert.Single(audit.Rows, e => e.EntryId == key).ToPayment());
        Assert.Equal(100_000 - 2_500 - 300, audit.Balance);
    }

    private static PaymentRequest Payment(long amount) => new(amount, "EUR", "Shop", "5411", null);

    /// <summary>The rows of every account append on this silo while it listens (the cluster's tests run one at a time).</summary>
    private sealed class GroupSizes : IDisposable
    {
        private readonly MeterListener _listener = new();
        private readonly ConcurrentQueue<int> _rows = new();

        public GroupSizes()
        {
            _listener.InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Meter.Name == AccountMetrics.MeterName && instrument.Name == "payments.account.group.rows")
                {
                    listener.EnableMeasurementEvents(instrument);
                }
            };
            _listener.SetMeasurementEventCallback<int>((_, rows, _, _) => _rows.Enqueue(rows));
            _listener.Start();
        }

        public IReadOnlyCollection<int> Rows => _rows;

        public void Dispose() => _listener.Dispose();
    }
}
