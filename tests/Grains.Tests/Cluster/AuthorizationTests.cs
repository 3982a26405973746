using Payments.Contracts;
using Payments.Ledger;
using Payments.Ledger.Changes;

namespace Payments.Grains.Tests.Cluster;

/// <summary>
/// The authorization lifecycle through the account grain, with the fake clock: holds, captures, reversals, expiry.
/// Region-a's rules set no hold rules, so a hold lasts seven days and captures may not exceed it.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class AuthorizationTests(ClusterFixture cluster) : IClassFixture<ClusterFixture>
{
    private static readonly TimeSpan HoldPeriod = TimeSpan.FromDays(7);

    [Fact]
    public async Task An_authorization_holds_money_so_available_drops_and_the_balance_stays()
    {
        var account = await cluster.OpenAsync(100_000);

        var authorization = (await account.AuthorizeAsync(Hotel(12_000))).Authorization!;

        Assert.Equal((AuthorizationStatus.Pending, 12_000L, 88_000L), (authorization.Status, authorization.Held, authorization.AvailableAfter));
        Assert.Equal(authorization.CreatedAt + HoldPeriod, authorization.ExpiresAt);
        var view = (await account.GetViewAsync())!;
        Assert.Equal((100_000L, 12_000L, 88_000L, false), (view.Balance, view.Held, view.Available, view.Overdrawn));
        Assert.Equal(12_000, view.Limits.Daily.Spent);
    }

    [Fact]
    public async Task Payments_and_authorizations_are_declined_against_available_not_the_balance()
    {
        var account = await cluster.OpenAsync(10_000);
        await account.AuthorizeAsync(Hotel(8_000));

        var payment = (await account.PayAsync(new PaymentRequest(3_000, "EUR", "Shop", "5411", null))).Payment!;
        var authorization = (await account.AuthorizeAsync(Hotel(3_000))).Authorization!;

        Assert.Equal(DeclineReason.InsufficientFunds, payment.DeclineReason);
        Assert.Equal((AuthorizationStatus.Declined, DeclineReason.InsufficientFunds, 0L),
            (authorization.Status, authorization.DeclineReason, authorization.Held));
    }

    [Fact]
    public async Task A_partial_then_a_final_capture_posts_what_was_captured_and_gives_the_rest_back_to_the_ceiling()
    {
        var account = await cluster.OpenAsync(100_000);
        var id = (await account.AuthorizeAsync(Hotel(10_000))).Authorization!.AuthorizationId;

        var partial = (await account.CaptureAsync(new CaptureRequest(id, 3_000, false, null))).Capture!;
        var final = (await account.CaptureAsync(new CaptureRequest(id, 4_000, true, null))).Capture!;

        Assert.Equal((AuthorizationStatus.Pending, 7_000L, 97_000L), (partial.Authorization.Status, partial.Authorization.Held, partial.BalanceAfter));
        Assert.Equal((AuthorizationStatus.Closed, 0L, 7_000L, 3_000L), (final.Authorization.Status, final.Authorization.Held, final.Authorization.Captured, final.Authorization.Released));
        Assert.False(final.ExceedsHold);
        var view = (await account.GetViewAsync())!;
        Assert.Equal((93_000L, 0L, 93_000L, 7_000L), (view.Balance, view.Held, view.Available, view.Limits.Daily.Spent));
        var audit = await LedgerAudit.OfAsync(cluster.Ledger, account.GetPrimaryKeyString());
        Assert.Equal(93_000, audit.Balance);
    }

    [Fact]
    public async Task A_hold_expires_at_its_exact_instant_and_gives_its_money_and_ceiling_back()
    {
        var account = await cluster.OpenAsync(100_000);
        var authorization = (await account.AuthorizeAsync(Hotel(12_000))).Authorization!;
        var expiresAt = authorization.ExpiresAt!.Value;

        cluster.MoveClockTo(expiresAt.AddTicks(-10));
        var before = (await account.GetAuthorizationAsync(authorization.AuthorizationId))!;
        cluster.MoveClockTo(expiresAt);
        var at = (await account.GetAuthorizationAsync(authorization.AuthorizationId))!;
        var view = (await account.GetViewAsync())!;

        Assert.Equal((AuthorizationStatus.Pending, 12_000L), (before.Status, before.Held));
        Assert.Equal((AuthorizationStatus.Expired, 0L, 12_000L), (at.Status, at.Held, at.Released));
        Assert.Equal((100_000L, 0L, 100_000L), (view.Balance, view.Held, view.Available));
    }

    [Fact]
    public async Task A_hold_across_a_daylight_saving_change_expires_after_exactly_its_period()
    {
        var account = await cluster.OpenAsync(100_000);
        // Paris moves its clocks forward on 28 March 2027: the hold still lasts seven times 24 hours.
        cluster.MoveClockTo(new DateTimeOffset(2027, 3, 25, 10, 0, 0, TimeSpan.Zero));

        var authorization = (await account.AuthorizeAsync(Hotel(1_000))).Authorization!;

        Assert.Equal(new DateTimeOffset(2027, 4, 1, 10, 0, 0, TimeSpan.Zero), authorization.ExpiresAt);
        cluster.MoveClockTo(authorization.ExpiresAt!.Value);
        Assert.Equal(AuthorizationStatus.Expired, (await account.GetAuthorizationAsync(authorization.AuthorizationId))!.Status);
    }

    [Fact]
    public async Task An_expired_hold_is_released_by_one_ledger_row_however_often_it_is_swept_or_read()
    {
        var account = await cluster.OpenAsync(100_000);
        var id = (await account.AuthorizeAsync(Hotel(12_000))).Authorization!.AuthorizationId;
        cluster.MoveClockTo(cluster.Clock.GetUtcNow() + HoldPeriod);

        await account.ExpireDueHoldsAsync();
        await account.ExpireDueHoldsAsync();
        await account.GetViewAsync();
        await cluster.Cluster.DeactivateAsync(account);
        await account.ExpireDueHoldsAsync();
        await account.PayAsync(new PaymentRequest(100, "EUR", "Shop", "5411", null));

        var rows = await cluster.Ledger.ReadAfterAsync(account.GetPrimaryKeyString(), 0, CancellationToken.None);
        var expiry = Assert.Single(rows, r => r.Kind == EntryKind.Expiry);
        Assert.Equal((id, 12_000L), (((HoldExpired)expiry.Change).AuthorizationId, ((HoldExpired)expiry.Change).Amount));
        Assert.Equal(99_900, (await LedgerAudit.OfAsync(cluster.Ledger, account.GetPrimaryKeyString())).Balance);
    }

    [Fact]
    public async Task A_late_capture_of_an_expired_hold_is_posted_as_new_money_and_may_overdraw_the_account()
    {
        var account = await cluster.OpenAsync(10_000);
        var id = (await account.AuthorizeAsync(Hotel(8_000))).Authorization!.AuthorizationId;
        cluster.MoveClockTo(cluster.Clock.GetUtcNow() + HoldPeriod);
        await account.PayAsync(new PaymentRequest(9_000, "EUR", "Shop", "5411", null));

        var capture = await account.CaptureAsync(new CaptureRequest(id, 8_000, true, null));

        Assert.Equal(RecordOutcome.Created, capture.Outcome);
        Assert.True(capture.Capture!.ExceedsHold);
        Assert.Equal((-7_000L, AuthorizationStatus.Closed), (capture.Capture.BalanceAfter, capture.Capture.Authorization.Status));
        var view = (await account.GetViewAsync())!;
        Assert.True(view.Overdrawn);
        Assert.Equal(-7_000, (await LedgerAudit.OfAsync(cluster.Ledger, account.GetPrimaryKeyString())).Balance);
    }

    [Fact]
    public async Task A_capture_past_the_cap_is_refused_and_records_nothing()
    {
        var account = await cluster.OpenAsync(100_000);
        var id = (await account.AuthorizeAsync(Hotel(10_000))).Authorization!.AuthorizationId;

        var over = await account.CaptureAsync(new CaptureRequest(id, 10_001, false, null));
        var exactly = await account.CaptureAsync(new CaptureRequest(id, 10_000, false, null));

        Assert.Equal(RecordOutcome.CaptureExceedsAuthorization, over.Outcome);
        Assert.Equal((RecordOutcome.Created, AuthorizationStatus.Closed), (exactly.Outcome, exactly.Capture!.Authorization.Status));
        Assert.Equal(3, (await LedgerAudit.OfAsync(cluster.Ledger, account.GetPrimaryKeyString())).Rows.Count);
    }

    [Fact]
    public async Task Reversals_give_back_part_then_all_and_refuse_more_than_is_held()
    {
        var account = await cluster.OpenAsync(100_000);
        var id = (await account.AuthorizeAsync(Hotel(10_000))).Authorization!.AuthorizationId;

        var part = await account.ReverseAsync(new ReversalRequest(id, 4_000, null));
        var tooMuch = await account.ReverseAsync(new ReversalRequest(id, 6_001, null));
        var rest = await account.ReverseAsync(new ReversalRequest(id, null, null));
        var again = await account.ReverseAsync(new ReversalRequest(id, null, null));

        Assert.Equal((RecordOutcome.Created, 6_000L), (part.Outcome, part.Reversal!.Authorization.Held));
        Assert.Equal(RecordOutcome.ReversalExceedsHold, tooMuch.Outcome);
        Assert.Equal((6_000L, AuthorizationStatus.Reversed), (rest.Reversal!.Amount, rest.Reversal.Authorization.Status));
        Assert.Equal(RecordOutcome.AuthorizationNotPending, again.Outcome);
        var view = (await account.GetViewAsync())!;
        Assert.Equal((100_000L, 0L, 0L), (view.Available, view.Held, view.Limits.Daily.Spent));
    }

    [Fact]
    public async Task A_reversal_racing_a_final_capture_loses_or_wins_whole_and_the_hold_is_released_once()
    {
        var account = await cluster.OpenAsync(100_000);
        var id = (await account.AuthorizeAsync(Hotel(10_000))).Authorization!.AuthorizationId;

        var capture = Task.Run(() => account.CaptureAsync(new CaptureRequest(id, 10_000, true, null)));
        var reversal = Task.Run(() => account.ReverseAsync(new ReversalRequest(id, null, null)));
        var (captured, reversed) = (await capture, await reversal);

        Assert.Single(new[] { captured.Outcome, reversed.Outcome }, RecordOutcome.Created);
        Assert.Single(new[] { captured.Outcome, reversed.Outcome }, RecordOutcome.AuthorizationNotPending);
        var audit = await LedgerAudit.OfAsync(cluster.Ledger, account.GetPrimaryKeyString());
        Assert.Equal(captured.Outcome == RecordOutcome.Created ? 90_000 : 100_000, audit.Balance);
        Assert.Equal(3, audit.Rows.Count);
    }

    [Fact]
    public async Task A_retried_capture_replays_even_after_it_closed_the_authorization()
    {
        var account = await cluster.OpenAsync(100_000);
        var id = (await account.AuthorizeAsync(Hotel(10_000))).Authorization!.AuthorizationId;
        var first = await account.CaptureAsync(new CaptureRequest(id, 10_000, true, "cap-1"));
        await cluster.Cluster.DeactivateAsync(account);

        var retry = await account.CaptureAsync(new CaptureRequest(id, 10_000, true, "cap-1"));
        var reused = await account.CaptureAsync(new CaptureRequest(id, 9_000, true, "cap-1"));

        Assert.Equal((RecordOutcome.Created, RecordOutcome.Replayed), (first.Outcome, retry.Outcome));
        Assert.Equal(first.Capture!.BalanceAfter, retry.Capture!.BalanceAfter);
        Assert.Equal(RecordOutcome.KeyReused, reused.Outcome);
    }

    [Fact]
    public async Task A_forced_capture_is_posted_past_the_cap_and_says_so()
    {
        var account = await cluster.OpenAsync(10_000);
        var id = (await account.AuthorizeAsync(Hotel(8_000))).Authorization!.AuthorizationId;

        var capped = await account.CaptureAsync(new CaptureRequest(id, 12_000, true, null));
        var forced = await account.CaptureAsync(new CaptureRequest(id, 12_000, true, null, Force: true));

        Assert.Equal(RecordOutcome.CaptureExceedsAuthorization, capped.Outcome);
        Assert.Equal((RecordOutcome.Created, true, true), (forced.Outcome, forced.Capture!.Forced, forced.Capture.ExceedsHold));
        Assert.Equal((-2_000L, AuthorizationStatus.Closed), (forced.Capture.BalanceAfter, forced.Capture.Authorization.Status));
        Assert.Equal(-2_000, (await LedgerAudit.OfAsync(cluster.Ledger, account.GetPrimaryKeyString())).Balance);
    }

    [Fact]
    public async Task Authorizations_are_listed_newest_first_with_their_status_as_of_now()
    {
        var account = await cluster.OpenAsync(100_000);
        var ids = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            ids.Add((await account.AuthorizeAsync(Hotel(1_000 + i))).Authorization!.AuthorizationId);
        }

        await account.ReverseAsync(new ReversalRequest(ids[1], null, null));
        await account.CaptureAsync(new CaptureRequest(ids[3], 500, true, null));

        var first = (await account.ListAuthorizationsAsync(null, 3, null))!;
        var second = (await account.ListAuthorizationsAsync(null, 3, first.NextBeforeSeq))!;
        var pending = (await account.ListAuthorizationsAsync(AuthorizationStatus.Pending, 10, null))!;

        Assert.Equal([ids[4], ids[3], ids[2]], first.Items.Select(a => a.AuthorizationId));
        Assert.Equal([ids[1], ids[0]], second.Items.Select(a => a.AuthorizationId));
        Assert.Null(second.NextBeforeSeq);
        Assert.Equal([AuthorizationStatus.Pending, AuthorizationStatus.Closed, AuthorizationStatus.Pending], first.Items.Select(a => a.Status));
        Assert.Equal([ids[4], ids[2], ids[0]], pending.Items.Select(a => a.AuthorizationId));
        Assert.Null(pending.NextBeforeSeq);
    }

    [Fact]
    public async Task An_unknown_authorization_is_not_found()
    {
        var account = await cluster.OpenAsync(100_000);

        Assert.Equal(RecordOutcome.AuthorizationNotFound, (await account.CaptureAsync(new CaptureRequest("nope", 1, false, null))).Outcome);
        Assert.Equal(RecordOutcome.AuthorizationNotFound, (await account.ReverseAsync(new ReversalRequest("nope", null, null))).Outcome);
        Assert.Null(await account.GetAuthorizationAsync("nope"));
    }

    private static AuthorizationRequest Hotel(long amount, string? key = null) => new(amount, "EUR", "Hôtel du Lac", "7011", key);
}
