using System.Collections.Immutable;
using Payments.Accounts;
using Payments.Contracts;
using Payments.Grains.Tests.Support;
using Payments.Ledger.Changes;

namespace Payments.Grains.Tests.Decisions;

/// <summary>Captures decided by the grain's own code on a region whose captures may exceed the authorization by 10%.</summary>
public sealed class CaptureDecisionTests
{
    private static readonly DateTimeOffset Now = TestRules.Utc(2026, 11, 25, 10);
    private static readonly RegionRules Rules = TestRules.Paris() with
    {
        Holds = new HoldRules(TimeSpan.FromDays(7), ImmutableDictionary<string, TimeSpan>.Empty.Add("5542", TimeSpan.FromDays(1)), 10),
    };

    [Fact]
    public void A_capture_at_the_tolerance_is_posted_beyond_the_hold_and_one_past_it_is_refused()
    {
        var account = DecisionPath.Open(Rules, 100_000);
        var id = Authorize(account, 10_005);

        var past = DecisionPath.Capture(account, Rules, Now, new CaptureRequest(id, 11_006, true, null));
        var at = DecisionPath.Capture(account, Rules, Now, new CaptureRequest(id, 11_005, true, null));

        // floor(10,005 × 110 / 100) = 11,005.
        Assert.Equal(RecordOutcome.CaptureExceedsAuthorization, past.Outcome);
        var capture = (CaptureMade)at.Entry!.Change;
        Assert.Equal((true, 10_005L, 0L), (capture.ExceedsHold, capture.FromHold, capture.HeldAfter));
        Assert.Equal((88_995L, 0L, 11_005L), (account.Balance, account.Held, account.Daily.SpentIn(at.Entry.BusinessDate)));
    }

    [Fact]
    public void An_over_capture_names_the_ceilings_its_new_money_overran()
    {
        var account = DecisionPath.Open(Rules, 200_000, new AccountLimits(null, 10_000, null, null));
        var id = Authorize(account, 10_000);

        var capture = (CaptureMade)DecisionPath.Capture(account, Rules, Now, new CaptureRequest(id, 10_500, false, null)).Entry!.Change;

        Assert.Equal(["daily"], capture.OverLimits);
    }

    [Fact]
    public void The_hold_period_comes_from_the_merchant_category_and_an_increment_starts_it_over()
    {
        var account = DecisionPath.Open(Rules, 100_000);
        var id = Authorize(account, 5_000, "5542");

        var increment = DecisionPath.Increment(account, Rules, Now.AddHours(20), new IncrementRequest(id, 1_000, null));

        Assert.Equal(Now.AddHours(20).AddDays(1), ((IncrementDecided)increment.Entry!.Change).ExpiresAt);
        Assert.Empty(DecisionPath.ExpireDue(account, Rules, Now.AddDays(1)));
        Assert.Equal(6_000, Assert.Single(DecisionPath.ExpireDue(account, Rules, Now.AddHours(44))).Change is HoldExpired e ? e.Amount : 0);
    }

    [Fact]
    public void A_rules_change_applies_to_authorizations_made_after_it()
    {
        var account = DecisionPath.Open(Rules, 100_000);
        var id = Authorize(account, 10_000);
        var stricter = Rules with { Holds = Rules.Holds! with { OverCapturePercent = 0 } };

        var capture = DecisionPath.Capture(account, stricter, Now, new CaptureRequest(id, 11_000, true, null));

        Assert.Equal(RecordOutcome.Created, capture.Outcome);
    }

    private static string Authorize(AccountState account, long amount, string mcc = "7011") =>
        DecisionPath.Authorize(account, Rules, Now, new AuthorizationRequest(amount, "EUR", "Merchant", mcc, null)).Entry!.EntryId;
}
