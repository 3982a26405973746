using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using Payments.Integration.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Payments.Integration.Tests;

/// <summary>
/// PostgreSQL stopped under load: nothing is approved that is not in the ledger, every request is answered 503 (never
/// 500), and payments are decided again as soon as the database is back, with no silo restarted.
/// </summary>
/// <remarks>The outage is kept to a few seconds: other test runs on the machine share the server.</remarks>
[Collection(RealServersCollection.Name)]
public sealed class LedgerOutageTests(RealServers servers, ITestOutputHelper output)
{
    private static readonly TimeSpan Outage = TimeSpan.FromSeconds(4);
    private static readonly Ceilings Ceilings = new(Daily: 15_000, Weekly: 22_000, Monthly: 30_000);
    private static readonly LoadProfile Load = new(Terminals: 16, MinAmount: 300, MaxAmount: 4_000, DepositEvery: 8, DepositAmount: 5_000);

    [Fact]
    public async Task Payments_answer_503_while_postgres_is_down_and_are_decided_again_when_it_returns()
    {
        await using var topology = new PaymentsTopology(servers);
        var silo = await topology.StartSiloAsync("region-a");
        var api = await topology.StartApiAsync("region-a");
        var accounts = await TestAccounts.OpenAsync(api, "outage", 22, 8_000, 5_000, Ceilings);
        var (idle, quiet, busy) = (accounts[0], accounts[1], accounts.Skip(2).ToList());
        // Restarted so that no account is active: the idle one has to be activated during the outage, the quiet one
        // is active but has to read the ledger.
        await silo.StopAsync();
        await silo.StartAsync();
        var siloProcess = silo.ProcessId;
        using var admin = api.CreateClient(PaymentsTopology.AdminKey);
        using var terminal = api.CreateClient(PaymentsTopology.TerminalKey);
        await admin.GetUntilAnsweredAsync($"/v1/accounts/{quiet}");
        var ledger = new LedgerAudit(servers);
        await using var load = PaymentLoad.Start(api, busy, Load);
        await load.WaitForAnswersAsync(150);

        await servers.StopPostgresAsync();
        var down = Stopwatch.StartNew();
        HttpStatusCode idleRead, idlePayment, quietRead, quietHistory;
        try
        {
            idleRead = (await admin.GetAsync($"/v1/accounts/{idle}")).StatusCode;
            idlePayment = (await PayIdleAsync(terminal, idle)).StatusCode;
            quietRead = (await admin.GetAsync($"/v1/accounts/{quiet}")).StatusCode;
            quietHistory = (await admin.GetAsync($"/v1/accounts/{quiet}/payments")).StatusCode;
            if (Outage - down.Elapsed is var rest && rest > TimeSpan.Zero)
            {
                await Task.Delay(rest);
            }
        }
        finally
        {
            await servers.StartPostgresAsync();
        }

        var back = DateTimeOffset.UtcNow;
        output.WriteLine($"PostgreSQL down for {down.Elapsed.TotalSeconds:F1} s");
        var recovering = Stopwatch.StartNew();
        var idleRetried = await RetryUntilAnsweredAsync(() => PayIdleAsync(terminal, idle));
        output.WriteLine($"The idle account's payment answered {idleRetried} {recovering.Elapsed.TotalSeconds:F1} s after PostgreSQL was back");
        await load.WaitForAnswersAsync(load.AnsweredCount + 300);
        var answers = await load.StopAsync();

        var attempts = answers.SelectMany(a => a.Attempts).ToList();
        output.WriteLine(answers.Describe());
        output.WriteLine($"{attempts.Count(t => t.Status == 503 && t.At > back)} answers 503 after PostgreSQL was back");
        Assert.Equal(
            (HttpStatusCode.ServiceUnavailable, HttpStatusCode.ServiceUnavailable, HttpStatusCode.ServiceUnavailable, HttpStatusCode.ServiceUnavailable),
            (idleRead, idlePayment, quietRead, quietHistory));
        Assert.Contains(idleRetried, new[] { HttpStatusCode.Created, HttpStatusCode.OK });
        Assert.Contains(attempts, t => t.Status == 503);
        Assert.All(attempts, t => Assert.Contains(t.Status, new[] { 200, 201, 503 }));
        Assert.Equal(siloProcess, silo.ProcessId);
        Assert.True(silo.IsRunning);
        Assert.Equal(("payment", "approved"), Assert.Single(
            (await ledger.RowsAsync([idle])).Where(r => r.EntryId == $"{idle}-during-outage").Select(r => (r.Kind, r.Status))));
        await LedgerAssert.AnswersAreTheLedgerAsync(ledger, busy, answers);
        await LedgerAssert.MoneyAddsUpAsync(ledger, admin, accounts, Ceilings);
    }

    private static Task<HttpResponseMessage> PayIdleAsync(HttpClient terminal, string accountId)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, $"/v1/accounts/{accountId}/payments")
        {
            Content = JsonContent.Create(new { amount = 1_000, currency = "EUR", merchant = "Outage Kiosk", mcc = "5411" }),
        };
        request.Headers.Add("Idempotency-Key", $"{accountId}-during-outage");
        return terminal.SendAsync(request);
    }

    private static async Task<HttpStatusCode> RetryUntilAnsweredAsync(Func<Task<HttpResponseMessage>> send)
    {
        var waited = Stopwatch.StartNew();
        while (true)
        {
            using var response = await send();
            if (response.StatusCode != HttpStatusCode.ServiceUnavailable || waited.Elapsed > TimeSpan.FromMinutes(1))
            {
                return response.StatusCode;
            }

            await Task.Delay(200);
        }
    }
}
