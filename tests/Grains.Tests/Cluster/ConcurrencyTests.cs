using Payments.Contracts;

namespace Payments.Grains.Tests.Cluster;

/// <summary>
/// Many payments at once on the same account: the grain decides them one after the other, so neither the balance nor a
/// ceiling can be overrun. Money is counted from the ledger rows and from the account view, never from counters.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class ConcurrencyTests(ClusterFixture cluster) : IClassFixture<ClusterFixture>
{
    private const long PerPayment = 5_000;

    [Fact]
    public async Task Thousand_concurrent_payments_on_one_account_overrun_neither_balance_nor_daily_ceiling()
    {
        const long initial = 60_000;
        const long daily = 100_000;
        var account = await cluster.OpenAsync(initial, new AccountLimits(PerPayment, daily, 1_000_000, 1_000_000));
        var id = account.GetPrimaryKeyString();
        var random = new Random(20261125);

        // First the balance binds (60,000 of funds against a 100,000 ceiling)...
        var first = await PayConcurrentlyAsync(account, random, 500);
        var afterFirst = await LedgerAudit.OfAsync(cluster.Ledger, id);
        AssertConsistent(first, afterFirst, (await account.GetViewAsync())!);
        Assert.True(afterFirst.ApprovedSum <= initial);
        Assert.True(afterFirst.Balance < PerPayment, $"{afterFirst.Balance} left with payments of up to {PerPayment} declined");
        Assert.Contains(first, p => p.DeclineReason == DeclineReason.InsufficientFunds);

        // ...then, with funds to spare, the daily ceiling does.
        await account.DepositAsync(new DepositRequest(100_000, "EUR", "top-up", null));
        var second = await PayConcurrentlyAsync(account, random, 500);
        var audit = await LedgerAudit.OfAsync(cluster.Ledger, id);
        var view = (await account.GetViewAsync())!;
        AssertConsistent([.. first, .. second], audit, view);
        Assert.True(audit.ApprovedSum <= daily, $"{audit.ApprovedSum} approved against a daily ceiling of {daily}");
        Assert.True(daily - audit.ApprovedSum < PerPayment);
        Assert.Contains(second, p => p.DeclineReason == DeclineReason.DailyLimitExceeded);
        Assert.Equal(initial + 100_000 - audit.ApprovedSum, view.Balance);
        Assert.Equal(1_000, audit.Payments.Count());
    }

    [Fact]
    public async Task Hundred_accounts_in_parallel_each_keep_their_balance_and_ceiling()
    {
        const long initial = 50_000;
        var random = new Random(1125);
        var accounts = await Task.WhenAll(Enumerable.Range(0, 100).Select(i =>
            cluster.OpenAsync(initial, new AccountLimits(PerPayment, i % 2 == 0 ? 30_000 : 200_000, null, null))));
        var amounts = accounts.Select(_ => Enumerable.Range(0, 50).Select(_ => (long)random.Next(1, (int)PerPayment + 1)).ToArray()).ToArray();

        var results = await Task.WhenAll(accounts.Select((account, i) =>
            Task.WhenAll(amounts[i].Select(amount => account.PayAsync(new PaymentRequest(amount, "EUR", "Shop", "5411", null))))));

        for (var i = 0; i < accounts.Length; i++)
        {
            var payments = results[i].Select(r => r.Payment!).ToList();
            var audit = await LedgerAudit.OfAsync(cluster.Ledger, accounts[i].GetPrimaryKeyString());
            var view = (await accounts[i].GetViewAsync())!;
            AssertConsistent(payments, audit, view);
            var ceiling = Math.Min(initial, view.Limits.Daily.Limit);
            Assert.True(audit.ApprovedSum <= ceiling, $"account {i}: {audit.ApprovedSum} approved, at most {ceiling} allowed");
            Assert.True(ceiling - audit.ApprovedSum < PerPayment);
            Assert.Equal(50, audit.Payments.Count());
        }
    }

    private static async Task<List<PaymentRecord>> PayConcurrentlyAsync(IAccountGrain account, Random random, int count)
    {
        var amounts = Enumerable.Range(0, count).Select(_ => (long)random.Next(1, (int)PerPayment + 1)).ToList();
        var results = await Task.WhenAll(amounts.Select(amount =>
            Task.Run(() => account.PayAsync(new PaymentRequest(amount, "EUR", "Shop", "5411", null)))));
        Assert.All(results, r => Assert.Equal(RecordOutcome.Created, r.Outcome));
        return [.. results.Select(r => r.Payment!)];
    }

    /// <summary>The answers, the ledger and the view tell one story.</summary>
    private static void AssertConsistent(IReadOnlyList<PaymentRecord> answered, LedgerAudit audit, AccountView view)
    {
        var answeredApproved = answered.Where(p => p.Status == PaymentStatus.Approved).ToList();
        Assert.Equal(
            answered.Select(p => p.PaymentId).Order(StringComparer.Ordinal),
            audit.Payments.Select(e => e.EntryId).Order(StringComparer.Ordinal));
        Assert.Equal(answeredApproved.Sum(p => p.Amount), audit.ApprovedSum);
        Assert.Equal(answeredApproved.Count, audit.Approved.Count);
        Assert.Equal(audit.Balance, view.Balance);
        Assert.Equal(audit.InitialBalance + audit.Deposits - audit.ApprovedSum, view.Balance);
        Assert.Equal(audit.Rows.Count, view.Version);
        Assert.Equal(audit.ApprovedSum, view.Limits.Daily.Spent);
        Assert.All(answered, p => Assert.Equal(p, audit.Payments.Single(e => e.EntryId == p.PaymentId).ToPayment()));
    }
}
