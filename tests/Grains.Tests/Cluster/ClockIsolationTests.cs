using Payments.Contracts;

namespace Payments.Grains.Tests.Cluster;

/// <summary>Each test class's silo reads its own clock: moving one class's clock moves no other class's business dates.</summary>
[Collection(ClusterCollection.Name)]
public sealed class ClockIsolationTests
{
    [Fact]
    public async Task Moving_one_fixture_clock_a_month_leaves_another_fixture_dates_alone()
    {
        await using var moved = new OwnedFixture();
        await using var untouched = new OwnedFixture();
        await moved.Fixture.InitializeAsync();
        await untouched.Fixture.InitializeAsync();
        var movedAccount = await moved.Fixture.OpenAsync(10_000);
        var untouchedAccount = await untouched.Fixture.OpenAsync(10_000);

        moved.Fixture.MoveClockTo(ClusterFixture.Start.AddMonths(1));
        var late = await movedAccount.PayAsync(new PaymentRequest(100, "EUR", "Shop", "5411", null));
        var onTime = await untouchedAccount.PayAsync(new PaymentRequest(100, "EUR", "Shop", "5411", null));

        Assert.Equal(ClusterFixture.Start.AddMonths(1), late.Payment!.CreatedAt);
        Assert.Equal(ClusterFixture.Start, onTime.Payment!.CreatedAt);
        var view = (await untouchedAccount.GetViewAsync())!;
        Assert.Equal(untouched.Fixture.Calendar.Day(untouched.Fixture.Calendar.BusinessDate(ClusterFixture.Start)).Start, view.Limits.Daily.PeriodStart);
    }

    /// <summary>A fixture this test deploys and stops itself, as xUnit does for each class.</summary>
    private sealed class OwnedFixture : IAsyncDisposable
    {
        public ClusterFixture Fixture { get; } = new();

        public async ValueTask DisposeAsync() => await Fixture.DisposeAsync();
    }
}
