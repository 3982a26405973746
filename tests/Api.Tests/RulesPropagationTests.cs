using System.Diagnostics;
using System.Net;
using Xunit.Abstractions;

namespace Payments.Api.Tests;

/// <summary>
/// The contract's "a rules change takes effect for every account of the region within 5 seconds, without pausing
/// payments", end to end: payers keep paying while an operator blocks a category, and a prober pays in that category
/// until it is declined. The 5 seconds is the contract, not a performance figure; the time it took is printed.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class RulesPropagationTests(ApiFixture fixture, ITestOutputHelper output)
{
    private const int Payers = 8;
    private static readonly TimeSpan Contract = TimeSpan.FromSeconds(5);

    private readonly HttpClient _admin = fixture.Client(ApiFixture.AdminKey);
    private readonly HttpClient _terminal = fixture.Client(ApiFixture.TerminalKey);

    [Fact]
    public async Task Blocked_category_declines_within_five_seconds_while_payments_keep_flowing()
    {
        var mcc = RegionCalls.FreshMcc();
        var payers = new List<string>();
        for (var i = 0; i < Payers; i++)
        {
            payers.Add(await _admin.CreateAccountAsync(initialBalance: 100_000, limits: new { perPayment = 10, daily = 100_000, weekly = 100_000, monthly = 100_000 }));
        }

        var probe = await _admin.CreateAccountAsync();
        using var stop = new CancellationTokenSource();
        var load = payers.Select(id => PayUntilStoppedAsync(id, stop.Token)).ToList();
        await Task.Delay(TimeSpan.FromMilliseconds(500));
        var rules = await _admin.GetRulesAsync();

        var changed = await _admin.PutRulesAsync(rules.BlockingAlso(mcc));
        var sincePut = Stopwatch.StartNew();
        Assert.Equal(HttpStatusCode.OK, changed.StatusCode);
        var probes = 0;
        string? reason;
        do
        {
            var payment = await (await _terminal.PayAsync(probe, 1, mcc: mcc)).JsonAsync();
            reason = (string?)payment["declineReason"];
            probes++;
        }
        while (reason != "category_blocked" && sincePut.Elapsed < Contract + TimeSpan.FromSeconds(5));
        var propagation = sincePut.Elapsed;
        await stop.CancelAsync();
        var statuses = (await Task.WhenAll(load)).SelectMany(s => s).ToList();

        output.WriteLine($"Rules change in force after {propagation.TotalMilliseconds:F0} ms ({probes} probes); " +
                         $"{statuses.Count} payments by {Payers} payers during the test");
        Assert.Equal("category_blocked", reason);
        Assert.True(propagation <= Contract, $"The change took {propagation} to reach the account.");
        Assert.True(statuses.Count > Payers, "The payers should have kept paying.");
        Assert.All(statuses, status => Assert.Equal(HttpStatusCode.Created, status));
    }

    private async Task<List<HttpStatusCode>> PayUntilStoppedAsync(string accountId, CancellationToken stop)
    {
        var statuses = new List<HttpStatusCode>();
        while (!stop.IsCancellationRequested)
        {
            statuses.Add((await _terminal.PayAsync(accountId, 1)).StatusCode);
        }

        return statuses;
    }
}
