using Payments.LoadGen.Checks;

namespace Payments.LoadGen.Tests.Checks;

/// <summary>
/// Each invariant check of the load generator against a ledger that keeps it and one that breaks it in exactly one way:
/// a check that cannot fail proves nothing (the ceiling check once read a column no longer written and found nothing).
/// </summary>
public sealed class LedgerAuditTests
{
    private static readonly Ceilings Limits = new(50_000, 100_000, 200_000);

    /// <summary>Payments, deposits, refunds and every way a hold ends: captured in parts, reversed, expired, still open.</summary>
    private static AccountRows Lifecycle() => new AccountRows()
        .Open(100_000, Limits)
        .Pay("p1", 10_000)
        .Pay("p2", 60_000, approved: false)
        .Authorize("a1", 20_000)
        .Increment("i1", "a1", 5_000)
        .Capture("c1", "a1", 10_000, fromHold: 10_000)
        .Capture("c2", "a1", 12_000, fromHold: 12_000, released: 3_000)
        .Authorize("a2", 5_000)
        .Reverse("r1", "a2", 5_000)
        .Authorize("a3", 4_000, expiresAt: AccountRows.Now.AddMinutes(-2))
        .Expire("a3", 4_000)
        .Authorize("a4", 3_000)
        .Deposit("d1", 1_000)
        .Refund("f1", 500);

    private static readonly RecordedEntry[] LifecycleAnswers =
    [
        new("acc-1", "p1", "payment"), new("acc-1", "a1", "authorization"), new("acc-1", "i1", "increment"),
        new("acc-1", "c1", "capture"), new("acc-1", "c2", "capture"), new("acc-1", "r1", "reversal"), new("acc-1", "d1", "deposit"),
    ];

    [Fact]
    public void A_ledger_that_keeps_every_invariant_has_no_violation()
    {
        var found = Audit(Lifecycle(), LifecycleAnswers);

        Assert.Equal(new LedgerViolations(0, 0, 0, 0, 0, 0, 0, 0) { Authorizations = 4 }, found);
    }

    [Fact]
    public void A_row_whose_balance_does_not_add_up_is_a_balance_violation()
    {
        var found = Audit(Lifecycle().Deposit("d2", 2_000).Tamper(r => r with { BalanceAfter = r.BalanceAfter + 1, AvailableAfter = r.AvailableAfter + 1 }));

        Assert.Equal(1, found.Balances);
    }

    [Fact]
    public void A_balance_the_system_keeps_apart_from_the_ledger_is_a_balance_violation()
    {
        var rows = Lifecycle();

        var found = LedgerAudit.Check(rows.Rows, new Dictionary<string, long> { [rows.AccountId] = rows.Balance - 1 }, [], AccountRows.Now);

        Assert.Equal(1, found.Balances);
    }

    [Fact]
    public void An_available_amount_that_does_not_count_a_hold_is_a_held_violation()
    {
        var found = Audit(Lifecycle().Pay("p3", 1_000).Tamper(r => r with { AvailableAfter = r.BalanceAfter }));

        Assert.Equal(1, found.Held);
    }

    [Fact]
    public void An_approved_payment_that_leaves_available_money_below_zero_is_a_violation()
    {
        // The balance covers it, the hold does not leave enough available.
        var found = Audit(new AccountRows().Open(10_000, Limits).Authorize("a1", 8_000).Pay("p1", 5_000));

        Assert.Equal(1, found.AvailableBelowZero);
    }

    [Fact]
    public void A_late_capture_may_take_the_balance_below_zero()
    {
        var found = Audit(new AccountRows().Open(10_000, Limits)
            .Authorize("a1", 8_000, expiresAt: AccountRows.Now.AddMinutes(-5)).Expire("a1", 8_000)
            .Capture("c1", "a1", 12_000, fromHold: 0));

        Assert.Equal(0, found.AvailableBelowZero);
        Assert.Equal(0, found.Balances);
    }

    [Fact]
    public void A_hold_reversed_twice_is_released_twice()
    {
        var found = Audit(Lifecycle().Reverse("r2", "a2", 5_000).Tamper(r => r with { AvailableAfter = r.BalanceAfter - 3_000 }));

        Assert.Equal(1, found.ReleasedTwice);
    }

    [Fact]
    public void An_expiry_after_a_reversal_is_released_twice()
    {
        var found = Audit(new AccountRows().Open(10_000, Limits).Authorize("a1", 4_000).Reverse("r1", "a1", 4_000)
            .Expire("a1", 4_000).Tamper(r => r with { AvailableAfter = r.BalanceAfter }));

        Assert.Equal(1, found.ReleasedTwice);
    }

    [Fact]
    public void Captures_beyond_the_authorized_amount_and_increments_are_over_captured()
    {
        var found = Audit(new AccountRows().Open(100_000, Limits).Authorize("a1", 10_000).Increment("i1", "a1", 1_000)
            .Capture("c1", "a1", 11_001, fromHold: 11_000));

        Assert.Equal(1, found.OverCaptured);
    }

    [Fact]
    public void Captures_within_the_over_capture_tolerance_or_forced_by_the_network_are_not_over_captured()
    {
        var found = Audit(new AccountRows().Open(100_000, Limits)
            .Authorize("a1", 10_000, overCapturePercent: 10).Capture("c1", "a1", 11_000, fromHold: 10_000)
            .Authorize("a2", 10_000).Capture("c2", "a2", 30_000, fromHold: 10_000, forced: true));

        Assert.Equal(0, found.OverCaptured);
    }

    [Fact]
    public void A_hold_still_open_a_minute_after_its_expiry_breaks_the_lifecycle()
    {
        var found = Audit(new AccountRows().Open(10_000, Limits).Authorize("a1", 4_000, expiresAt: AccountRows.Now.AddSeconds(-61)));

        Assert.Equal(1, found.Lifecycle);
    }

    [Fact]
    public void A_hold_expiring_within_the_minute_is_not_yet_late()
    {
        var found = Audit(new AccountRows().Open(10_000, Limits).Authorize("a1", 4_000, expiresAt: AccountRows.Now.AddSeconds(-30)));

        Assert.Equal(0, found.Lifecycle);
    }

    [Fact]
    public void A_final_capture_that_leaves_money_held_breaks_the_lifecycle()
    {
        var found = Audit(new AccountRows().Open(10_000, Limits).Authorize("a1", 4_000)
            .Capture("c1", "a1", 1_000, fromHold: 1_000).Tamper(r => r with { Final = true }));

        Assert.Equal(1, found.Lifecycle);
    }

    [Fact]
    public void A_capture_of_an_authorization_that_was_never_approved_breaks_the_lifecycle()
    {
        var found = Audit(new AccountRows().Open(10_000, Limits).Capture("c1", "nowhere", 1_000, fromHold: 0));

        Assert.Equal(1, found.Lifecycle);
    }

    [Fact]
    public void A_hold_counts_in_its_day_so_a_payment_beyond_the_rest_overruns_the_ceiling()
    {
        var found = Audit(new AccountRows().Open(1_000_000, Limits).Authorize("a1", 30_000).Pay("p1", 25_000));

        Assert.Equal(1, found.Ceilings);
    }

    [Fact]
    public void What_a_reversal_gives_back_makes_room_in_the_day_it_was_held_in()
    {
        var found = Audit(new AccountRows().Open(1_000_000, Limits).Authorize("a1", 30_000).Reverse("r1", "a1", 30_000).Pay("p1", 45_000));

        Assert.Equal(0, found.Ceilings);
    }

    [Fact]
    public void A_release_comes_off_the_newest_approval_first()
    {
        var yesterday = AccountRows.Day.AddDays(-1);
        // 40,000 held yesterday, 10,000 today; the reversal of 10,000 frees today, so yesterday keeps its 40,000 and a
        // payment of 10,001 dated yesterday overruns it (the reversal taken off yesterday would have left room for it).
        var found = Audit(new AccountRows().Open(1_000_000, Limits)
            .Authorize("a1", 40_000, day: yesterday).Increment("i1", "a1", 10_000).Reverse("r1", "a1", 10_000).Pay("p1", 40_000)
            .Pay("p2", 10_001, day: yesterday));

        Assert.Equal(1, found.Ceilings);
    }

    [Fact]
    public void An_account_whose_ceilings_cannot_be_read_counts_as_a_ceiling_violation()
    {
        var found = Audit(new AccountRows().Open(1_000_000, null).Pay("p1", 100));

        Assert.Equal(1, found.Ceilings);
    }

    [Fact]
    public void An_answer_missing_from_the_ledger_declined_there_or_of_another_kind_was_not_recorded_once()
    {
        var found = Audit(Lifecycle(), [.. LifecycleAnswers, new("acc-1", "p9", "payment"), new("acc-1", "p2", "payment"), new("acc-1", "a2", "capture")]);

        Assert.Equal(3, found.AnswersNotOnce);
    }

    private static LedgerViolations Audit(AccountRows rows, IEnumerable<RecordedEntry>? answered = null) =>
        LedgerAudit.Check(rows.Rows, new Dictionary<string, long> { [rows.AccountId] = rows.Balance }, answered ?? [], AccountRows.Now);
}
