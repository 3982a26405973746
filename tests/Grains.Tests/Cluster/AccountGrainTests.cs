using Microsoft.Extensions.DependencyInjection;
using Orleans.Runtime;
using Payments.Contracts;
using Payments.Grains.Tests.Support;
using Payments.Ledger;
using Payments.Ledger.Changes;

namespace Payments.Grains.Tests.Cluster;

[Collection(ClusterCollection.Name)]
public sealed class AccountGrainTests(ClusterFixture cluster) : IClassFixture<ClusterFixture>
{
    [Fact]
    public void Silo_gives_grains_the_fake_clock_and_keeps_its_own_loops_on_real_time()
    {
        var services = cluster.SiloServices;

        Assert.Same(cluster.Clock, services.GetRequiredService<TimeProvider>());
        Assert.Same(TimeProvider.System, services.GetRequiredKeyedService<TimeProvider>(TimeProviderNames.Membership));
        Assert.Same(TimeProvider.System, services.GetRequiredKeyedService<TimeProvider>(TimeProviderNames.Messaging));
        Assert.Same(TimeProvider.System, services.GetRequiredKeyedService<TimeProvider>(TimeProviderNames.ActivationManagement));
        Assert.IsType<InMemoryLedgerStore>(cluster.Ledger);
    }

    [Fact]
    public async Task Opened_account_reads_back_with_its_own_limits_and_the_region_defaults()
    {
        var id = ClusterFixture.NewAccountId();
        var account = cluster.Account(id);

        var opened = await account.OpenAsync(new OpenAccountRequest(TestRules.Region, "EUR", 10_000, new AccountLimits(20_000, null, null, null)));
        var view = await account.GetViewAsync();

        Assert.Equal(OpenOutcome.Created, opened.Outcome);
        Assert.Equal(opened.Account, view);
        Assert.NotNull(view);
        Assert.Equal((id, TestRules.Region, "EUR", AccountStatus.Active, 10_000L, 1L), (view.AccountId, view.Region, view.Currency, view.Status, view.Balance, view.Version));
        Assert.Equal(20_000, view.Limits.PerPayment);
        var today = cluster.Calendar.BusinessDate(cluster.Clock.GetUtcNow());
        AssertPeriod(view.Limits.Daily, 100_000, 0, cluster.Calendar.Day(today));
        AssertPeriod(view.Limits.Weekly, 300_000, 0, cluster.Calendar.Week(today));
        AssertPeriod(view.Limits.Monthly, 800_000, 0, cluster.Calendar.Month(today));
    }

    [Fact]
    public async Task Opening_an_account_twice_answers_already_exists_and_changes_nothing()
    {
        var account = await cluster.OpenAsync(10_000);

        var again = await account.OpenAsync(new OpenAccountRequest(TestRules.Region, "EUR", 99_999, AccountLimits.None));

        Assert.Equal(OpenOutcome.AlreadyExists, again.Outcome);
        Assert.Equal(10_000, (await account.GetViewAsync())!.Balance);
        Assert.Single(await cluster.Ledger.ReadAfterAsync(account.GetPrimaryKeyString(), 0, CancellationToken.None));
    }

    [Fact]
    public async Task Opening_in_an_unknown_region_or_with_a_bad_request_records_nothing()
    {
        var id = ClusterFixture.NewAccountId();
        var account = cluster.Account(id);

        var unknownRegion = await account.OpenAsync(new OpenAccountRequest("region-z", "EUR", 100, AccountLimits.None));
        var otherCurrency = await account.OpenAsync(new OpenAccountRequest(TestRules.Region, "USD", 100, AccountLimits.None));
        var negative = await account.OpenAsync(new OpenAccountRequest(TestRules.Region, "EUR", -1, AccountLimits.None));
        var zeroLimit = await account.OpenAsync(new OpenAccountRequest(TestRules.Region, "EUR", 100, new AccountLimits(null, 0, null, null)));

        Assert.Equal(OpenOutcome.UnknownRegion, unknownRegion.Outcome);
        Assert.Equal(OpenOutcome.Invalid, otherCurrency.Outcome);
        Assert.True(otherCurrency.Errors!.Fields.ContainsKey("currency"));
        Assert.Equal(OpenOutcome.Invalid, negative.Outcome);
        Assert.Equal(OpenOutcome.Invalid, zeroLimit.Outcome);
        Assert.Null(await account.GetViewAsync());
        Assert.Empty(await cluster.Ledger.ReadAfterAsync(id, 0, CancellationToken.None));
    }

    [Fact]
    public async Task Approved_payment_is_in_the_ledger_when_the_answer_arrives()
    {
        var account = await cluster.OpenAsync(10_000);
        var id = account.GetPrimaryKeyString();

        var result = await account.PayAsync(new PaymentRequest(2_500, "EUR", "Boulangerie du Port", "5411", null));

        Assert.Equal(RecordOutcome.Created, result.Outcome);
        var payment = result.Payment!;
        Assert.Equal((id, 2_500L, "EUR", "Boulangerie du Port", "5411"), (payment.AccountId, payment.Amount, payment.Currency, payment.Merchant, payment.Mcc));
        Assert.Equal((PaymentStatus.Approved, (DeclineReason?)null, 7_500L), (payment.Status, payment.DeclineReason, payment.BalanceAfter));
        Assert.Equal(cluster.Clock.GetUtcNow(), payment.CreatedAt);
        Assert.Equal(TestRules.Region, payment.DecidedBy);
        var audit = await LedgerAudit.OfAsync(cluster.Ledger, id);
        Assert.Equal(payment, Assert.Single(audit.Payments).ToPayment());
        var view = (await account.GetViewAsync())!;
        Assert.Equal((7_500L, 2L), (view.Balance, view.Version));
        Assert.Equal((2_500L, 2_500L, 2_500L), (view.Limits.Daily.Spent, view.Limits.Weekly.Spent, view.Limits.Monthly.Spent));
    }

    [Fact]
    public async Task Deposit_credits_the_balance_and_is_in_the_ledger()
    {
        var account = await cluster.OpenAsync(1_000);
        var id = account.GetPrimaryKeyString();

        var result = await account.DepositAsync(new DepositRequest(50_000, "EUR", "salary-2026-11", null));

        Assert.Equal(RecordOutcome.Created, result.Outcome);
        var deposit = result.Deposit!;
        Assert.Equal((id, 50_000L, "EUR", "salary-2026-11", 51_000L, TestRules.Region), (deposit.AccountId, deposit.Amount, deposit.Currency, deposit.Reference, deposit.BalanceAfter, deposit.DecidedBy));
        var audit = await LedgerAudit.OfAsync(cluster.Ledger, id);
        Assert.Equal((51_000L, 50_000L), (audit.Balance, audit.Deposits));
        var view = (await account.GetViewAsync())!;
        Assert.Equal(51_000, view.Balance);
        Assert.Equal(0, view.Limits.Daily.Spent);
    }

    [Fact]
    public async Task Update_changes_only_the_limits_it_sets_and_the_status()
    {
        var account = await cluster.OpenAsync(10_000, new AccountLimits(20_000, null, null, null));

        var limits = await account.UpdateAsync(new AccountUpdate(new AccountLimits(null, 5_000, null, null), null));
        var frozen = await account.UpdateAsync(new AccountUpdate(null, AccountStatus.Frozen));

        Assert.Equal(UpdateOutcome.Updated, limits.Outcome);
        Assert.Equal((20_000L, 5_000L, 300_000L), (limits.Account!.Limits.PerPayment, limits.Account.Limits.Daily.Limit, limits.Account.Limits.Weekly.Limit));
        Assert.Equal(UpdateOutcome.Updated, frozen.Outcome);
        Assert.Equal(AccountStatus.Frozen, frozen.Account!.Status);
        Assert.Equal(5_000, frozen.Account.Limits.Daily.Limit);
        Assert.Equal(3, frozen.Account.Version);
        Assert.Equal(frozen.Account, await account.GetViewAsync());
    }

    [Fact]
    public async Task Update_with_a_limit_that_is_not_positive_is_invalid_and_records_nothing()
    {
        var account = await cluster.OpenAsync(10_000);

        var result = await account.UpdateAsync(new AccountUpdate(new AccountLimits(null, null, 0, null), AccountStatus.Closed));

        Assert.Equal(UpdateOutcome.Invalid, result.Outcome);
        var view = (await account.GetViewAsync())!;
        Assert.Equal((AccountStatus.Active, 1L, 300_000L), (view.Status, view.Version, view.Limits.Weekly.Limit));
        Assert.Single(await cluster.Ledger.ReadAfterAsync(account.GetPrimaryKeyString(), 0, CancellationToken.None));
    }

    public static TheoryData<DeclineReason> Reasons() => [.. Enum.GetValues<DeclineReason>()];

    [Theory]
    [MemberData(nameof(Reasons))]
    public async Task Every_decline_reason_is_recorded_and_answered_through_the_grain(DeclineReason reason)
    {
        var account = await cluster.OpenAsync(20_000, new AccountLimits(10_000, 12_000, 15_000, 18_000));
        var request = new PaymentRequest(1_000, "EUR", "Shop", TestRules.GroceryMcc, null);
        switch (reason)
        {
            case DeclineReason.AccountClosed or DeclineReason.AccountFrozen:
                await account.UpdateAsync(new AccountUpdate(null, reason == DeclineReason.AccountClosed ? AccountStatus.Closed : AccountStatus.Frozen));
                break;
            case DeclineReason.CurrencyMismatch:
                request = request with { Currency = "USD" };
                break;
            case DeclineReason.CategoryBlocked:
                request = request with { Mcc = TestRules.BlockedMcc };
                break;
            case DeclineReason.PerPaymentLimitExceeded:
                request = request with { Amount = 10_001 };
                break;
            case DeclineReason.InsufficientFunds:
                await account.UpdateAsync(new AccountUpdate(new AccountLimits(null, 50_000, 50_000, 50_000), null));
                await PayApprovedAsync(account, 9_500);
                await PayApprovedAsync(account, 9_500);
                request = request with { Amount = 1_001 };
                break;
            case DeclineReason.DailyLimitExceeded:
                await PayApprovedAsync(account, 9_500);
                request = request with { Amount = 2_501 };
                break;
            case DeclineReason.WeeklyLimitExceeded:
                await PayApprovedAsync(account, 9_500);
                await account.UpdateAsync(new AccountUpdate(new AccountLimits(null, 20_000, null, null), null));
                await PayApprovedAsync(account, 5_000);
                request = request with { Amount = 501 };
                break;
            case DeclineReason.MonthlyLimitExceeded:
                await PayApprovedAsync(account, 9_500);
                await account.UpdateAsync(new AccountUpdate(new AccountLimits(null, 20_000, 20_000, null), null));
                await PayApprovedAsync(account, 8_000);
                break;
        }

        var before = (await account.GetViewAsync())!;
        var result = await account.PayAsync(request);

        Assert.Equal(RecordOutcome.Created, result.Outcome);
        Assert.Equal(PaymentStatus.Declined, result.Payment!.Status);
        Assert.Equal(reason, result.Payment.DeclineReason);
        Assert.Equal(before.Balance, result.Payment.BalanceAfter);
        var after = (await account.GetViewAsync())!;
        Assert.Equal(before.Version + 1, after.Version);
        Assert.Equal(before.Limits, after.Limits);
        var audit = await LedgerAudit.OfAsync(cluster.Ledger, account.GetPrimaryKeyString());
        Assert.Equal(result.Payment, audit.Rows[^1].ToPayment());
    }

    [Fact]
    public async Task Same_key_and_body_replays_the_stored_payment_unchanged()
    {
        var account = await cluster.OpenAsync(10_000);
        var request = new PaymentRequest(1_250, "EUR", "Boulangerie du Port", "5411", $"key-{Guid.NewGuid():N}");
        var first = await account.PayAsync(request);
        cluster.MoveClockTo(cluster.Clock.GetUtcNow().AddMinutes(5));

        var retry = await account.PayAsync(request);

        Assert.Equal(RecordOutcome.Created, first.Outcome);
        Assert.Equal(request.IdempotencyKey, first.Payment!.PaymentId);
        Assert.Equal(RecordOutcome.Replayed, retry.Outcome);
        Assert.Equal(first.Payment, retry.Payment);
        var audit = await LedgerAudit.OfAsync(cluster.Ledger, account.GetPrimaryKeyString());
        Assert.Single(audit.Payments);
        Assert.Equal(8_750, (await account.GetViewAsync())!.Balance);
    }

    [Fact]
    public async Task Same_key_replays_a_declined_payment_as_declined()
    {
        var account = await cluster.OpenAsync(100);
        var request = new PaymentRequest(1_250, "EUR", "Shop", "5411", $"key-{Guid.NewGuid():N}");
        var first = await account.PayAsync(request);
        await account.DepositAsync(new DepositRequest(10_000, "EUR", "top-up", null));

        var retry = await account.PayAsync(request);

        Assert.Equal(DeclineReason.InsufficientFunds, first.Payment!.DeclineReason);
        Assert.Equal(RecordOutcome.Replayed, retry.Outcome);
        Assert.Equal(first.Payment, retry.Payment);
    }

    [Fact]
    public async Task Same_key_with_another_body_is_refused_as_reused()
    {
        var account = await cluster.OpenAsync(10_000);
        var key = $"key-{Guid.NewGuid():N}";
        await account.PayAsync(new PaymentRequest(1_250, "EUR", "Shop", "5411", key));

        var otherAmount = await account.PayAsync(new PaymentRequest(1_251, "EUR", "Shop", "5411", key));
        var otherMerchant = await account.PayAsync(new PaymentRequest(1_250, "EUR", "Another shop", "5411", key));

        Assert.Equal((RecordOutcome.KeyReused, (PaymentRecord?)null), (otherAmount.Outcome, otherAmount.Payment));
        Assert.Equal(RecordOutcome.KeyReused, otherMerchant.Outcome);
        var audit = await LedgerAudit.OfAsync(cluster.Ledger, account.GetPrimaryKeyString());
        Assert.Equal(1_250, ((PaymentDecided)Assert.Single(audit.Payments).Change).Amount);
    }

    [Fact]
    public async Task Key_used_by_a_payment_cannot_be_reused_by_a_deposit_nor_the_other_way()
    {
        var account = await cluster.OpenAsync(10_000);
        var paymentKey = $"key-{Guid.NewGuid():N}";
        var depositKey = $"key-{Guid.NewGuid():N}";
        await account.PayAsync(new PaymentRequest(1_000, "EUR", "Shop", "5411", paymentKey));
        var deposit = await account.DepositAsync(new DepositRequest(1_000, "EUR", "salary", depositKey));

        var depositWithPaymentKey = await account.DepositAsync(new DepositRequest(1_000, "EUR", "salary", paymentKey));
        var paymentWithDepositKey = await account.PayAsync(new PaymentRequest(1_000, "EUR", "Shop", "5411", depositKey));
        var depositReplay = await account.DepositAsync(new DepositRequest(1_000, "EUR", "salary", depositKey));

        Assert.Equal(RecordOutcome.KeyReused, depositWithPaymentKey.Outcome);
        Assert.Equal(RecordOutcome.KeyReused, paymentWithDepositKey.Outcome);
        Assert.Equal(RecordOutcome.Replayed, depositReplay.Outcome);
        Assert.Equal(deposit.Deposit, depositReplay.Deposit);
        var audit = await LedgerAudit.OfAsync(cluster.Ledger, account.GetPrimaryKeyString());
        Assert.Equal(3, audit.Rows.Count);
        Assert.Equal(10_000, audit.Balance);
    }

    [Fact]
    public async Task Any_printable_key_is_free_on_its_first_use()
    {
        // Keys are 1 to 128 printable ASCII characters; none may be taken by the grain's own entries.
        var account = await cluster.OpenAsync(10_000);

        var payment = await account.PayAsync(new PaymentRequest(1_000, "EUR", "Shop", "5411", "open"));

        Assert.Equal(RecordOutcome.Created, payment.Outcome);
        Assert.Equal(PaymentStatus.Approved, payment.Payment!.Status);
        Assert.Equal(payment.Payment, await account.GetPaymentAsync("open"));
    }

    [Fact]
    public async Task Payment_history_pages_newest_first()
    {
        var account = await cluster.OpenAsync(10_000);
        var paid = new List<PaymentRecord>();
        for (var i = 1; i <= 6; i++)
        {
            paid.Add((await account.PayAsync(new PaymentRequest(i * 100, "EUR", $"Shop {i}", i == 4 ? TestRules.BlockedMcc : "5411", null))).Payment!);
            await account.DepositAsync(new DepositRequest(1, "EUR", $"ref {i}", null));
        }

        var first = (await account.ListPaymentsAsync(4, null))!;
        var second = (await account.ListPaymentsAsync(4, first.NextBeforeSeq))!;
        var exact = (await account.ListPaymentsAsync(6, null))!;

        paid.Reverse();
        Assert.Equal(paid.Take(4), first.Items);
        Assert.NotNull(first.NextBeforeSeq);
        Assert.Equal(paid.Skip(4), second.Items);
        Assert.Null(second.NextBeforeSeq);
        Assert.Equal(paid, exact.Items);
        Assert.Null(exact.NextBeforeSeq);
    }

    [Fact]
    public async Task Payment_is_found_by_its_id_and_nothing_else_is()
    {
        var account = await cluster.OpenAsync(10_000);
        var keyed = (await account.PayAsync(new PaymentRequest(100, "EUR", "Shop", "5411", $"key-{Guid.NewGuid():N}"))).Payment!;
        var unkeyed = (await account.PayAsync(new PaymentRequest(200, "EUR", "Shop", "5411", null))).Payment!;
        var deposit = (await account.DepositAsync(new DepositRequest(300, "EUR", "ref", $"dep-{Guid.NewGuid():N}"))).Deposit!;

        Assert.Equal(keyed, await account.GetPaymentAsync(keyed.PaymentId));
        Assert.Equal(unkeyed, await account.GetPaymentAsync(unkeyed.PaymentId));
        Assert.Null(await account.GetPaymentAsync(deposit.DepositId));
        Assert.Null(await account.GetPaymentAsync("no-such-payment"));
    }

    [Fact]
    public async Task Unknown_account_answers_not_found_everywhere_and_records_nothing()
    {
        var id = ClusterFixture.NewAccountId();
        var account = cluster.Account(id);

        Assert.Null(await account.GetViewAsync());
        Assert.Equal(RecordOutcome.NotFound, (await account.PayAsync(new PaymentRequest(100, "EUR", "Shop", "5411", "k"))).Outcome);
        Assert.Equal(RecordOutcome.NotFound, (await account.DepositAsync(new DepositRequest(100, "EUR", "ref", "k"))).Outcome);
        Assert.Equal(UpdateOutcome.NotFound, (await account.UpdateAsync(new AccountUpdate(null, AccountStatus.Frozen))).Outcome);
        Assert.Null(await account.ListPaymentsAsync(10, null));
        Assert.Null(await account.GetPaymentAsync("k"));
        Assert.Empty(await cluster.Ledger.ReadAfterAsync(id, 0, CancellationToken.None));
    }

    [Fact]
    public async Task Malformed_requests_are_invalid_and_record_nothing()
    {
        var account = await cluster.OpenAsync(10_000);
        var id = account.GetPrimaryKeyString();
        var key = $"key-{Guid.NewGuid():N}";
        await account.UpdateAsync(new AccountUpdate(null, AccountStatus.Closed));
        var before = (await account.GetViewAsync())!;

        var results = new[]
        {
            (await account.PayAsync(new PaymentRequest(0, "EUR", "Shop", "5411", key))).Outcome,
            (await account.PayAsync(new PaymentRequest(-1, "EUR", "Shop", "5411", key))).Outcome,
            (await account.PayAsync(new PaymentRequest(1_000_001, "EUR", "Shop", "5411", key))).Outcome,
            (await account.DepositAsync(new DepositRequest(0, "EUR", "ref", key))).Outcome,
            (await account.DepositAsync(new DepositRequest(100, "USD", "ref", key))).Outcome,
            (await account.DepositAsync(new DepositRequest(100, "EUR", "ref", key))).Outcome,
        };

        Assert.All(results, outcome => Assert.Equal(RecordOutcome.Invalid, outcome));
        Assert.Equal(before, await account.GetViewAsync());
        Assert.Equal(2, (await cluster.Ledger.ReadAfterAsync(id, 0, CancellationToken.None)).Count);
        Assert.Null(await cluster.Ledger.FindAsync(id, key, CancellationToken.None));

        // The key was never taken: its first valid use is a new decision.
        var valid = await account.PayAsync(new PaymentRequest(100, "EUR", "Shop", "5411", key));
        Assert.Equal(RecordOutcome.Created, valid.Outcome);
        Assert.Equal(DeclineReason.AccountClosed, valid.Payment!.DeclineReason);
    }

    private static async Task PayApprovedAsync(IAccountGrain account, long amount)
    {
        var result = await account.PayAsync(new PaymentRequest(amount, "EUR", "Shop", TestRules.GroceryMcc, null));
        Assert.Equal(PaymentStatus.Approved, result.Payment!.Status);
    }

    private static void AssertPeriod(PeriodView period, long limit, long spent, Payments.Accounts.PeriodBounds bounds)
    {
        Assert.Equal(limit, period.Limit);
        Assert.Equal(spent, period.Spent);
        Assert.Equal(bounds.Start, period.PeriodStart);
        Assert.Equal(bounds.End, period.ResetsAt);
    }
}
