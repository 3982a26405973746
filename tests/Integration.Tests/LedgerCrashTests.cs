using System.Diagnostics;
using Payments.Integration.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Payments.Integration.Tests;

/// <summary>
/// Silo processes killed (SIGKILL) or restarted while terminals pay: every answer the API gave is the ledger's, exactly once, and
/// the money adds up. Checked with SQL against the ledger, never with the code's own counters.
/// </summary>
[Collection(RealServersCollection.Name)]
public sealed class LedgerCrashTests(RealServers servers, ITestOutputHelper output)
{
    // Balances bind first (a few payments drain one), deposits refill them, and then the day's ceiling binds.
    private static readonly Ceilings Ceilings = new(Daily: 15_000, Weekly: 22_000, Monthly: 30_000);
    private static readonly LoadProfile Load = new(Terminals: 32, MinAmount: 300, MaxAmount: 4_000, DepositEvery: 8, DepositAmount: 5_000);
    private readonly List<(string When, DateTimeOffset From, DateTimeOffset To)> _outages = [];

    [Fact]
    public async Task Every_answered_payment_is_in_the_ledger_once_after_silos_are_killed_or_restarted_under_load()
    {
        await using var topology = new PaymentsTopology(servers);
        AppProcess[] silos = [await topology.StartSiloAsync("region-a"), await topology.StartSiloAsync("region-a")];
        var api = await topology.StartApiAsync("region-a");
        var accounts = await TestAccounts.OpenAsync(api, "crash", 50, 8_000, 5_000, Ceilings);
        var ledger = new LedgerAudit(servers);
        await using var load = PaymentLoad.Start(api, accounts, Load);

        // Early: the first activations are still loading when their silo dies.
        await load.WaitForAnswersAsync(40);
        await KillAndRestartAsync(silos[0], load, "early");
        // Mid-load: hundreds of accounts' worth of rows in flight through the group commit.
        await load.WaitForAnswersAsync(load.AnsweredCount + 400);
        await KillAndRestartAsync(silos[1], load, "mid-load");
        // A burst: every terminal released at once, the silo killed while their requests are in flight.
        await load.WaitForAnswersAsync(load.AnsweredCount + 300);
        await load.PauseAsync();
        load.Resume();
        await KillAndRestartAsync(silos[0], load, "burst");
        // And a graceful restart under load, as in a rolling upgrade: the silo deactivates its accounts and leaves.
        await load.WaitForAnswersAsync(load.AnsweredCount + 300);
        await RestartAsync(silos[1], load, "graceful", silo => silo.StopAsync());
        await load.WaitForAnswersAsync(load.AnsweredCount + 300);
        var answers = await load.StopAsync();

        output.WriteLine(answers.Describe());
        foreach (var (when, from, to) in _outages)
        {
            output.WriteLine($"{when}: {answers.SelectMany(a => a.Attempts).Count(t => t.Status == 503 && t.At >= from && t.At <= to)} answers 503");
        }

        Assert.All(answers, a => Assert.Contains(a.FinalStatus, new[] { 200, 201 }));
        Assert.Contains(answers, a => a.Retries > 0);
        Assert.Contains(answers, a => a.Outcome == "declined");
        await LedgerAssert.AnswersAreTheLedgerAsync(ledger, accounts, answers);
        using var reader = api.CreateClient(PaymentsTopology.AdminKey);
        await LedgerAssert.MoneyAddsUpAsync(ledger, reader, accounts, Ceilings);
    }

    private Task KillAndRestartAsync(AppProcess silo, PaymentLoad load, string when) =>
        RestartAsync(silo, load, when, silo =>
        {
            silo.Kill();
            return Task.CompletedTask;
        });

    private async Task RestartAsync(AppProcess silo, PaymentLoad load, string when, Func<AppProcess, Task> stop)
    {
        var answeredBefore = load.AnsweredCount;
        var from = DateTimeOffset.UtcNow;
        var down = Stopwatch.StartNew();
        await stop(silo);
        var stopped = down.Elapsed;
        await silo.StartAsync();
        var restarted = down.Elapsed;
        await load.WaitForAnswersAsync(load.AnsweredCount + Load.Terminals);
        _outages.Add((when, from, DateTimeOffset.UtcNow));
        output.WriteLine(
            $"{when} ({silo.Name}, after {answeredBefore} answers): stopped in {stopped.TotalSeconds:F1} s, ready again " +
            $"{restarted.TotalSeconds:F1} s after the stop began, {Load.Terminals} more answers after {down.Elapsed.TotalSeconds:F1} s");
    }
}
