using Payments.Accounts;
using Payments.Contracts;
using Payments.Grains.Tests.Support;

namespace Payments.Grains.Tests.Decisions;

public sealed class AccountValidationTests
{
    private static readonly RegionRules Rules = TestRules.Paris();

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(long.MinValue)]
    [InlineData(1_000_001)]
    [InlineData(long.MaxValue)]
    public void Payment_amount_outside_one_to_the_region_maximum_is_invalid(long amount)
    {
        var errors = AccountValidation.ForPayment(Rules, DecisionPath.Payment(amount));

        Assert.NotNull(errors);
        Assert.True(errors.Fields.ContainsKey("amount"));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(1_000_000)]
    public void Payment_amount_at_the_bounds_is_valid(long amount)
    {
        Assert.Null(AccountValidation.ForPayment(Rules, DecisionPath.Payment(amount)));
    }

    [Fact]
    public void Payment_in_another_currency_or_blocked_category_is_valid_and_left_to_the_decision()
    {
        Assert.Null(AccountValidation.ForPayment(Rules, DecisionPath.Payment(100, TestRules.BlockedMcc, "USD")));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-5)]
    public void Deposit_of_a_non_positive_amount_is_invalid(long amount)
    {
        var account = DecisionPath.Open(Rules, 100);

        var errors = AccountValidation.ForDeposit(account, new DepositRequest(amount, "EUR", "ref", null));

        Assert.NotNull(errors);
        Assert.True(errors.Fields.ContainsKey("amount"));
    }

    [Fact]
    public void Deposit_in_another_currency_is_invalid()
    {
        var account = DecisionPath.Open(Rules, 100);

        var errors = AccountValidation.ForDeposit(account, new DepositRequest(100, "USD", "ref", null));

        Assert.NotNull(errors);
        Assert.True(errors.Fields.ContainsKey("currency"));
    }

    [Fact]
    public void Deposit_to_a_closed_account_is_invalid_but_to_a_frozen_one_is_valid()
    {
        var account = DecisionPath.Open(Rules, 100);
        var deposit = new DepositRequest(100, "EUR", "ref", null);
        DecisionPath.Update(account, Rules, TestRules.Utc(2026, 11, 25, 10), new AccountUpdate(null, AccountStatus.Frozen));
        Assert.Null(AccountValidation.ForDeposit(account, deposit));

        DecisionPath.Update(account, Rules, TestRules.Utc(2026, 11, 25, 10), new AccountUpdate(null, AccountStatus.Closed));

        Assert.NotNull(AccountValidation.ForDeposit(account, deposit));
    }

    [Fact]
    public void Deposit_that_would_overflow_the_balance_is_invalid()
    {
        var account = DecisionPath.Open(Rules, long.MaxValue - 10);

        Assert.Null(AccountValidation.ForDeposit(account, new DepositRequest(10, "EUR", "ref", null)));
        Assert.NotNull(AccountValidation.ForDeposit(account, new DepositRequest(11, "EUR", "ref", null)));
    }

    [Fact]
    public void Open_in_another_currency_than_the_region_is_invalid()
    {
        var errors = AccountValidation.ForOpen(Rules, new OpenAccountRequest(TestRules.Region, "USD", 0, AccountLimits.None));

        Assert.NotNull(errors);
        Assert.True(errors.Fields.ContainsKey("currency"));
    }

    [Fact]
    public void Open_with_a_negative_balance_is_invalid()
    {
        var errors = AccountValidation.ForOpen(Rules, new OpenAccountRequest(TestRules.Region, "EUR", -1, AccountLimits.None));

        Assert.NotNull(errors);
        Assert.True(errors.Fields.ContainsKey("initialBalance"));
    }

    [Fact]
    public void Open_with_zero_balance_and_no_own_limits_is_valid()
    {
        Assert.Null(AccountValidation.ForOpen(Rules, new OpenAccountRequest(TestRules.Region, "EUR", 0, AccountLimits.None)));
    }

    [Theory]
    [InlineData(0L, null, null, null)]
    [InlineData(null, -1L, null, null)]
    [InlineData(null, null, 0L, null)]
    [InlineData(null, null, null, -100L)]
    public void Limit_that_is_not_positive_is_invalid(long? perPayment, long? daily, long? weekly, long? monthly)
    {
        var limits = new AccountLimits(perPayment, daily, weekly, monthly);

        Assert.NotNull(AccountValidation.ForLimits(limits));
        Assert.NotNull(AccountValidation.ForOpen(Rules, new OpenAccountRequest(TestRules.Region, "EUR", 0, limits)));
    }

    [Fact]
    public void Missing_or_positive_limits_are_valid()
    {
        Assert.Null(AccountValidation.ForLimits(null));
        Assert.Null(AccountValidation.ForLimits(AccountLimits.None));
        Assert.Null(AccountValidation.ForLimits(new AccountLimits(1, 1, 1, 1)));
    }

    [Theory]
    [InlineData(3)]
    [InlineData(-1)]
    public void Status_that_names_no_state_is_invalid(int status)
    {
        var errors = AccountValidation.ForUpdate(new AccountUpdate(null, (AccountStatus)status));

        Assert.NotNull(errors);
        Assert.True(errors.Fields.ContainsKey("status"));
    }

    [Fact]
    public void Defined_status_with_positive_limits_is_a_valid_update()
    {
        Assert.Null(AccountValidation.ForUpdate(new AccountUpdate(new AccountLimits(null, 10, null, null), AccountStatus.Closed)));
    }
}
