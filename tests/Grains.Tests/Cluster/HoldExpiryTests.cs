using Payments.Contracts;
using Payments.Ledger;
using Payments.Ledger.Changes;

namespace Payments.Grains.Tests.Cluster;

/// <summary>
/// The region's expiry sweep on the in-memory ledger, run by hand on the fake clock: it writes the release row of an
/// idle account's expired hold, once, and nothing for holds that are not due or already released; while a region's
/// sweep has stopped (the region is lost), another region's releases its holds.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class HoldExpiryTests(ClusterFixture cluster) : IClassFixture<ClusterFixture>
{
    private static readonly TimeSpan HoldPeriod = TimeSpan.FromDays(7);

    [Fact]
    public async Task The_sweep_releases_an_idle_deactivated_accounts_hold_once_it_is_due()
    {
        var account = await cluster.OpenAsync(100_000);
        var authorization = (await account.AuthorizeAsync(Hotel(12_000))).Authorization!;
        await cluster.Cluster.DeactivateAsync(account);

        cluster.MoveClockTo(authorization.ExpiresAt!.Value.AddTicks(-10));
        await Sweep().SweepAsync();
        var before = await ExpiryRowsAsync(account);
        cluster.MoveClockTo(authorization.ExpiresAt!.Value);
        var pass = await Sweep().SweepAsync();
        await Sweep().SweepAsync();

        Assert.Empty(before);
        var expiry = (HoldExpired)Assert.Single(await ExpiryRowsAsync(account)).Change;
        Assert.Equal((authorization.AuthorizationId, 12_000L), (expiry.AuthorizationId, expiry.Amount));
        Assert.True(pass.Due >= 1 && pass.Failed == 0);
        await LedgerAudit.OfAsync(cluster.Ledger, account.GetPrimaryKeyString());
    }

    [Fact]
    public async Task The_sweep_leaves_released_and_extended_holds_alone()
    {
        var account = await cluster.OpenAsync(100_000);
        var reversed = (await account.AuthorizeAsync(Hotel(1_000))).Authorization!;
        var extended = (await account.AuthorizeAsync(Hotel(2_000))).Authorization!;
        await account.ReverseAsync(new ReversalRequest(reversed.AuthorizationId, null, null));
        cluster.MoveClockTo(cluster.Clock.GetUtcNow().AddDays(1));
        await account.IncrementAsync(new IncrementRequest(extended.AuthorizationId, 500, null));

        cluster.MoveClockTo(extended.ExpiresAt!.Value);
        await Sweep().SweepAsync();
        var early = await ExpiryRowsAsync(account);
        cluster.MoveClockTo(extended.ExpiresAt!.Value.AddDays(1));
        await Sweep().SweepAsync();

        Assert.Empty(early);
        var expiry = (HoldExpired)Assert.Single(await ExpiryRowsAsync(account)).Change;
        Assert.Equal((extended.AuthorizationId, 2_500L), (expiry.AuthorizationId, expiry.Amount));
    }

    [Fact]
    public async Task An_advice_whose_hold_period_is_over_is_released_as_it_is_recorded()
    {
        var account = await cluster.OpenAsync(100_000);
        var decidedAt = cluster.Clock.GetUtcNow() - HoldPeriod - TimeSpan.FromHours(1);

        var advice = await account.AdviseAsync(new AdviceRequest(AdviceKind.Authorization, 3_000, "EUR", "Hôtel", "7011", decidedAt, "net-old"));

        Assert.Equal((AuthorizationStatus.Expired, 0L), (advice.Authorization!.Status, advice.Authorization.Held));
        Assert.Single(await ExpiryRowsAsync(account));
        await LedgerAudit.OfAsync(cluster.Ledger, account.GetPrimaryKeyString());
    }

    [Fact]
    public async Task While_a_regions_sweep_has_stopped_another_region_releases_its_due_holds_and_nothing_twice_when_it_returns()
    {
        var account = await cluster.OpenAsync(100_000);
        var authorization = (await account.AuthorizeAsync(Hotel(12_000))).Authorization!;
        var expiresAt = authorization.ExpiresAt!.Value;
        cluster.MoveClockTo(expiresAt.AddSeconds(-5));
        await Sweep().SweepAsync();
        // Region-a is lost from here: its sweep passes no more, and its account is not active anywhere.
        await cluster.Cluster.DeactivateAsync(account);

        cluster.MoveClockTo(expiresAt.AddSeconds(30));
        var soon = await Sweep("region-b").SweepAsync();
        var rowsSoon = await ExpiryRowsAsync(account);
        cluster.MoveClockTo(expiresAt.AddSeconds(50));
        var late = await Sweep("region-b").SweepAsync();
        var rowsLate = await ExpiryRowsAsync(account);
        // Region-a is back: its own sweep goes on from where region-b's got; region-b no longer stands in for it.
        cluster.MoveClockTo(expiresAt.AddSeconds(65));
        await Sweep().SweepAsync();
        var after = await Sweep("region-b").SweepAsync();

        Assert.DoesNotContain("region-a", soon.TakenOver ?? []);
        Assert.Empty(rowsSoon);
        Assert.Contains("region-a", late.TakenOver ?? []);
        var expiry = (HoldExpired)Assert.Single(rowsLate).Change;
        Assert.Equal((authorization.AuthorizationId, 12_000L), (expiry.AuthorizationId, expiry.Amount));
        Assert.DoesNotContain("region-a", after.TakenOver ?? []);
        Assert.Single(await ExpiryRowsAsync(account));
        Assert.Equal((0L, 100_000L), ((await account.GetViewAsync())!.Held, (await account.GetViewAsync())!.Available));
        await LedgerAudit.OfAsync(cluster.Ledger, account.GetPrimaryKeyString());
    }

    private IHoldExpiryGrain Sweep(string region = "region-a") => cluster.Client.GetGrain<IHoldExpiryGrain>(region);

    private async Task<List<LedgerEntry>> ExpiryRowsAsync(IAccountGrain account) =>
        (await cluster.Ledger.ReadAfterAsync(account.GetPrimaryKeyString(), 0, CancellationToken.None)).Where(r => r.Kind == EntryKind.Expiry).ToList();

    private static AuthorizationRequest Hotel(long amount) => new(amount, "EUR", "Hôtel du Lac", "7011", null);
}
