using Microsoft.Extensions.DependencyInjection;
using Orleans.Storage;
using Payments.Accounts;
using Payments.Contracts;
using Payments.Grains.Tests.Support;
using Payments.Ledger;

namespace Payments.Grains.Tests.Cluster;

/// <summary>An activation is a cache: a new one rebuilds the same account from the snapshot and the ledger after it.</summary>
[Collection(ClusterCollection.Name)]
public sealed class DeactivationTests(ClusterFixture cluster) : IClassFixture<ClusterFixture>
{
    [Fact]
    public async Task State_survives_deactivation()
    {
        var account = await cluster.OpenAsync(50_000, new AccountLimits(20_000, 30_000, null, null));
        var key = $"key-{Guid.NewGuid():N}";
        var keyed = await account.PayAsync(new PaymentRequest(4_000, "EUR", "Shop", "5411", key));
        await account.PayAsync(new PaymentRequest(25_000, "EUR", "Shop", "5411", null));
        await account.PayAsync(new PaymentRequest(6_000, "EUR", "Shop", "5812", null));
        await account.DepositAsync(new DepositRequest(10_000, "EUR", "salary", null));
        await account.UpdateAsync(new AccountUpdate(new AccountLimits(null, null, 250_000, null), AccountStatus.Active));
        await account.PayAsync(new PaymentRequest(100, "EUR", "Casino", "7995", null));
        var before = (await account.GetViewAsync())!;

        await cluster.Cluster.DeactivateAsync(account);

        Assert.False(cluster.Cluster.TryGetGrainContext(account.GetGrainId(), out _));
        var snapshot = await ReadSnapshotAsync(account);
        Assert.Equal(before.Version, snapshot.LastSeq);
        var after = (await account.GetViewAsync())!;
        Assert.Equal(before, after);
        Assert.Equal((50_000L, 10_000L), (after.Balance, after.Limits.Daily.Spent));

        var replay = await account.PayAsync(new PaymentRequest(4_000, "EUR", "Shop", "5411", key));
        var next = await account.PayAsync(new PaymentRequest(1_000, "EUR", "Shop", "5411", null));
        Assert.Equal(RecordOutcome.Replayed, replay.Outcome);
        Assert.Equal(keyed.Payment, replay.Payment);
        Assert.Equal(PaymentStatus.Approved, next.Payment!.Status);
        var audit = await LedgerAudit.OfAsync(cluster.Ledger, account.GetPrimaryKeyString());
        Assert.Equal(before.Version + 1, audit.Rows.Count);
        Assert.Equal(audit.Balance, (await account.GetViewAsync())!.Balance);
    }

    [Fact]
    public async Task New_activation_takes_in_the_ledger_rows_written_after_its_snapshot()
    {
        var account = await cluster.OpenAsync(50_000);
        var id = account.GetPrimaryKeyString();
        await account.PayAsync(new PaymentRequest(5_000, "EUR", "Shop", "5411", null));
        await cluster.Cluster.DeactivateAsync(account);
        var now = cluster.Clock.GetUtcNow();
        var today = cluster.Calendar.BusinessDate(now);

        // Written elsewhere while this silo held no activation (another region serving the account).
        var foreign = new[]
        {
            ForeignRows.Payment(id, 3, "elsewhere-1", "hash", 7_000, 38_000, now, today),
            ForeignRows.Deposit(id, 4, "elsewhere-2", 2_000, 40_000, now, today),
        };
        Assert.All(await cluster.Ledger.AppendAsync(foreign, CancellationToken.None), Assert.True);

        var view = (await account.GetViewAsync())!;

        Assert.Equal((40_000L, 4L, 12_000L), (view.Balance, view.Version, view.Limits.Daily.Spent));
        Assert.Equal(7_000, (await account.GetPaymentAsync("elsewhere-1"))!.Amount);
        var next = await account.PayAsync(new PaymentRequest(1_000, "EUR", "Shop", "5411", null));
        Assert.Equal(39_000, next.Payment!.BalanceAfter);
        var audit = await LedgerAudit.OfAsync(cluster.Ledger, id);
        Assert.Equal(5, audit.Rows.Count);
    }

    [Fact]
    public async Task Loading_one_account_from_its_snapshot_leaves_every_other_account_its_own_limits()
    {
        var strict = await cluster.OpenAsync(100_000, new AccountLimits(500, 1_000, 2_000, 3_000));
        var generous = await cluster.OpenAsync(100_000, new AccountLimits(90_000, 90_000, 90_000, 90_000));
        await cluster.Cluster.DeactivateAsync(strict);
        await cluster.Cluster.DeactivateAsync(generous);

        var strictView = (await strict.GetViewAsync())!;
        await generous.GetViewAsync();
        var other = await cluster.OpenAsync(100_000);
        var frozen = await other.UpdateAsync(new AccountUpdate(null, AccountStatus.Frozen));
        var strictPayment = await strict.PayAsync(new PaymentRequest(1_500, "EUR", "Shop", "5411", null));

        Assert.Equal(new LimitsView(500, strictView.Limits.Daily, strictView.Limits.Weekly, strictView.Limits.Monthly), (await strict.GetViewAsync())!.Limits);
        Assert.Equal((1_000L, 2_000L, 3_000L), (strictView.Limits.Daily.Limit, strictView.Limits.Weekly.Limit, strictView.Limits.Monthly.Limit));
        Assert.Equal(DeclineReason.PerPaymentLimitExceeded, strictPayment.Payment!.DeclineReason);
        Assert.Equal((50_000L, 100_000L), (frozen.Account!.Limits.PerPayment, frozen.Account.Limits.Daily.Limit));
        Assert.Equal(AccountLimits.None, new AccountLimits(null, null, null, null));
    }

    private async Task<AccountState> ReadSnapshotAsync(IAccountGrain account)
    {
        var state = await cluster.ReadSnapshotAsync(account);
        Assert.True(state.RecordExists);
        Assert.NotNull(state.State);
        return state.State;
    }
}
