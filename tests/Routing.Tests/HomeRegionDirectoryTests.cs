using Microsoft.Extensions.Options;
using Payments.Api.Routing;
using Payments.Routing.Tests.Fakes;

namespace Payments.Routing.Tests;

public sealed class HomeRegionDirectoryTests
{
    private readonly FakeHomeRegions _accounts = new();

    [Fact]
    public async Task Home_region_is_read_from_the_store_once_then_from_memory()
    {
        _accounts.Add("acc-1", "region-a");
        using var directory = new HomeRegionDirectory(Options.Create(new RoutingOptions()), _accounts);

        var first = await directory.FindAsync("acc-1", CancellationToken.None);
        var second = await directory.FindAsync("acc-1", CancellationToken.None);

        Assert.Equal("region-a", first);
        Assert.Equal("region-a", second);
        Assert.Equal(1, _accounts.Reads);
    }

    [Fact]
    public async Task Unknown_account_is_looked_up_again_since_it_may_be_opened_meanwhile()
    {
        using var directory = new HomeRegionDirectory(Options.Create(new RoutingOptions()), _accounts);

        var before = await directory.FindAsync("acc-2", CancellationToken.None);
        _accounts.Add("acc-2", "region-b");
        var after = await directory.FindAsync("acc-2", CancellationToken.None);

        Assert.Null(before);
        Assert.Equal("region-b", after);
    }

    [Fact]
    public async Task Account_opened_through_this_api_is_known_without_a_lookup()
    {
        using var directory = new HomeRegionDirectory(Options.Create(new RoutingOptions()), _accounts);

        directory.Remember("acc-3", "region-b");
        var home = await directory.FindAsync("acc-3", CancellationToken.None);

        Assert.Equal("region-b", home);
        Assert.Equal(0, _accounts.Reads);
    }

    [Fact]
    public async Task An_account_is_known_without_the_store_only_once_the_store_named_its_region()
    {
        _accounts.Add("acc-5", "region-b");
        using var directory = new HomeRegionDirectory(Options.Create(new RoutingOptions()), _accounts);

        var knownBefore = directory.TryFindKnown("acc-5", out _);
        await directory.FindAsync("acc-5", CancellationToken.None);
        var knownAfter = directory.TryFindKnown("acc-5", out var home);

        Assert.False(knownBefore);
        Assert.True(knownAfter);
        Assert.Equal("region-b", home);
        Assert.Equal(1, _accounts.Reads);
    }

    [Fact]
    public void Without_a_store_every_account_is_known_to_be_local()
    {
        using var directory = new HomeRegionDirectory(Options.Create(new RoutingOptions()));

        var known = directory.TryFindKnown("acc-6", out var home);

        Assert.True(known);
        Assert.Null(home);
    }

    [Fact]
    public async Task Without_a_store_every_account_is_local()
    {
        using var directory = new HomeRegionDirectory(Options.Create(new RoutingOptions()));

        var home = await directory.FindAsync("acc-4", CancellationToken.None);

        Assert.Null(home);
    }
}
