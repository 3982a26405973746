using Payments.LoadGen.Workload;

namespace Payments.LoadGen.Tests.Workload;

/// <summary>The pool of pending authorizations the mix follows up: what each answer leaves of an authorization.</summary>
public sealed class OpenHoldsTests
{
    private static readonly OpenHold Hold = new("acc-1", "a1", 10_000, 10_000, 0);

    [Fact]
    public void A_pending_authorization_joins_the_pool()
    {
        var holds = new OpenHolds();

        holds.Answered(new Operation(OperationKind.Authorize, "acc-1", "a1", 10_000, "Hotel du Lac", "7011"), recorded: true, error: false);

        Assert.Equal(Hold, holds.Take(new Random(1)));
    }

    [Fact]
    public void A_declined_authorization_stays_out()
    {
        var holds = new OpenHolds();

        holds.Answered(new Operation(OperationKind.Authorize, "acc-1", "a1", 10_000, "Hotel du Lac", "7011"), recorded: false, error: false);

        Assert.Null(holds.Take(new Random(1)));
    }

    [Fact]
    public void A_partial_capture_puts_the_authorization_back_with_less_held()
    {
        var holds = new OpenHolds();

        holds.Answered(FollowUp(OperationKind.Capture, 4_000), recorded: true, error: false);

        Assert.Equal(Hold with { Held = 6_000, Captured = 4_000 }, holds.Take(new Random(1)));
    }

    [Fact]
    public void An_approved_increment_holds_more()
    {
        var holds = new OpenHolds();

        holds.Answered(FollowUp(OperationKind.Increment, 2_000), recorded: true, error: false);

        Assert.Equal(Hold with { Authorized = 12_000, Held = 12_000 }, holds.Take(new Random(1)));
    }

    [Fact]
    public void A_refused_capture_leaves_the_authorization_as_it_was()
    {
        var holds = new OpenHolds();

        holds.Answered(FollowUp(OperationKind.Capture, 20_000, final: true), recorded: false, error: false);

        Assert.Equal(Hold, holds.Take(new Random(1)));
    }

    [Theory]
    [InlineData(OperationKind.Capture, 3_000, true, true, false)]
    [InlineData(OperationKind.Reverse, 0, false, true, false)]
    [InlineData(OperationKind.Reverse, 10_000, false, true, false)]
    [InlineData(OperationKind.Capture, 3_000, false, false, true)]
    public void A_follow_up_that_ends_the_hold_or_whose_outcome_is_unknown_takes_it_out(
        OperationKind kind, long amount, bool final, bool recorded, bool error)
    {
        var holds = new OpenHolds();

        holds.Answered(FollowUp(kind, amount, final), recorded, error);

        Assert.Null(holds.Take(new Random(1)));
    }

    [Fact]
    public void The_mix_follows_up_only_authorizations_of_the_pool_one_request_at_a_time()
    {
        var holds = new OpenHolds();
        holds.Add(Hold);
        var account = new AccountSpec("acc-1", 1_000_000, 50_000, 100_000, 100_000, 100_000);
        var mix = new OperationMix(_ => account, new MixShares(0, 0, 0, 0, 0, 0, 0, 100), "k", new RecentPayments(), holds);

        var first = mix.Next(new Random(3));
        var second = mix.Next(new Random(3));

        Assert.Equal(Hold, first.Hold);
        Assert.Contains(first.Kind, new[] { OperationKind.Capture, OperationKind.Reverse, OperationKind.Increment });
        // The pool was empty for the second draw: it authorizes instead of acting on the same authorization twice.
        Assert.Equal(OperationKind.Authorize, second.Kind);
    }

    private static Operation FollowUp(OperationKind kind, long amount, bool final = false) =>
        new(kind, "acc-1", "f1", amount, "", "") { Hold = Hold, Final = final };
}
