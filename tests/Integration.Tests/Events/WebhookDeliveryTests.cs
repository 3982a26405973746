using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Npgsql;
using Payments.Integration.Tests.Infrastructure;
using Payments.Webhooks;
using Xunit.Abstractions;

namespace Payments.Integration.Tests.Events;

/// <summary>
/// Webhooks from real silo processes to a real HTTP receiver (Kestrel in the test) while terminals pay with
/// Idempotency-Keys: every event arrives at least once, signed (checked by an independent implementation), each
/// account's events in order, through a receiver's outage, a silo killed with SIGKILL, the database's primary killed
/// (a Patroni failover), and a receiver that never answers.
/// </summary>
[Collection(RealServersCollection.Name)]
public sealed class WebhookDeliveryTests(RealServers servers, ITestOutputHelper output)
{
    private static readonly TimeSpan ArrivalWait = TimeSpan.FromSeconds(120);
    private static readonly Ceilings Ceilings = new(Daily: 1_000_000, Weekly: 2_000_000, Monthly: 4_000_000);
    private static readonly LoadProfile Load = new(Terminals: 12, MinAmount: 100, MaxAmount: 2_000, DepositEvery: 5, DepositAmount: 3_000);
    private static readonly string[] Types = ["payment.*", "deposit.created"];

    private readonly Dictionary<string, string> _siloSettings = new()
    {
        ["ASPNETCORE_ENVIRONMENT"] = "Development",
        ["Payments__Webhooks__SecretKey"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)),
        ["Payments__Webhooks__LeaseDuration"] = "00:00:05",
        ["Payments__Webhooks__FirstRetryDelay"] = "00:00:00.200",
        ["Payments__Webhooks__MaxRetryDelay"] = "00:00:02",
    };

    [Fact]
    public async Task Every_event_of_a_keyed_load_arrives_signed_and_in_each_accounts_order()
    {
        await using var topology = new PaymentsTopology(servers);
        await using var receiver = await WebhookReceiver.StartAsync();
        var api = await StartRegionAsync(topology, silos: 2);
        var (_, secret) = await RegisterAsync(api, receiver.Url);
        var accounts = await TestAccounts.OpenAsync(api, "hook", 20, 50_000, 10_000, Ceilings);

        await RunLoadAsync(api, accounts, answers: 400);
        var expected = await ExpectedAsync(accounts);
        var arrived = await WaitForAsync(receiver, expected);

        AssertInAccountOrder(arrived, expected);
        Assert.All(arrived, w => Assert.Equal(WebhookSignature.Sign(WebhookSignature.KeyOf(secret), w.Id, long.Parse(w.Timestamp), w.Body), w.Signature));
        Assert.All(await IndependentSignature.VerifyAsync(secret, arrived), Assert.True);
        Assert.All(arrived, w =>
        {
            Assert.StartsWith("application/cloudevents+json", w.ContentType);
            Assert.Equal(System.Text.Encoding.UTF8.GetByteCount(w.Body), w.ContentLength);
            var cloudEvent = JsonNode.Parse(w.Body)!;
            Assert.Equal(w.Id, (string)cloudEvent["id"]!);
            Assert.Equal("1.0", (string)cloudEvent["specversion"]!);
        });
    }

    [Fact]
    public async Task Events_sent_while_the_receiver_fails_all_arrive_in_order_once_it_recovers()
    {
        await using var topology = new PaymentsTopology(servers);
        await using var receiver = await WebhookReceiver.StartAsync();
        var failingUntil = DateTimeOffset.MaxValue;
        receiver.Answer = w =>
        {
            // Down for 5 s from the first request on.
            failingUntil = failingUntil == DateTimeOffset.MaxValue ? w.At.AddSeconds(5) : failingUntil;
            return w.At < failingUntil ? 503 : 204;
        };
        var api = await StartRegionAsync(topology, silos: 1);
        var (endpointId, _) = await RegisterAsync(api, receiver.Url);
        var accounts = await TestAccounts.OpenAsync(api, "down", 10, 50_000, 10_000, Ceilings);

        await RunLoadAsync(api, accounts, answers: 150);
        var expected = await ExpectedAsync(accounts);
        var arrived = await WaitForAsync(receiver, expected);

        AssertInAccountOrder(arrived, expected);
        Assert.Contains(receiver.Received, w => w.At < failingUntil);
        using var admin = api.CreateClient(PaymentsTopology.AdminKey);
        var deliveries = await admin.GetFromJsonAsync<JsonObject>($"/v1/webhook-endpoints/{endpointId}/deliveries?limit=200");
        Assert.Contains(deliveries!["items"]!.AsArray(), d => (int?)d!["httpStatus"] == 503 && d["nextAttemptAt"] is not null);
    }

    [Fact]
    public async Task Nothing_is_lost_when_the_silo_delivering_is_killed()
    {
        await using var topology = new PaymentsTopology(servers);
        await using var receiver = await WebhookReceiver.StartAsync();
        var api = await StartRegionAsync(topology, silos: 2);
        var (endpointId, secret) = await RegisterAsync(api, receiver.Url);
        var accounts = await TestAccounts.OpenAsync(api, "kill", 20, 50_000, 10_000, Ceilings);

        await using var load = PaymentLoad.Start(api, accounts, Load);
        await load.WaitForAnswersAsync(150);
        while (receiver.Accepted.Count < 50)
        {
            await Task.Delay(50);
        }

        var owner = await OwnerProcessAsync(endpointId);
        var killed = topology.Processes.Single(p => p.ProcessId == owner);
        killed.Kill();
        output.WriteLine($"killed {killed.Name} (pid {owner}) after {receiver.Accepted.Count} deliveries");
        await load.WaitForAnswersAsync(load.AnsweredCount + 150);
        await load.StopAsync();
        var expected = await ExpectedAsync(accounts);
        var arrived = await WaitForAsync(receiver, expected);

        Assert.NotEqual(owner, await OwnerProcessAsync(endpointId));
        AssertInAccountOrder(arrived, expected);
        Assert.All(await IndependentSignature.VerifyAsync(secret, arrived), Assert.True);
    }

    [Fact]
    public async Task Nothing_is_lost_or_skipped_when_the_database_primary_is_killed_during_delivery()
    {
        await using var topology = new PaymentsTopology(servers);
        await using var receiver = await WebhookReceiver.StartAsync();
        var api = await StartRegionAsync(topology, silos: 2);
        var (_, secret) = await RegisterAsync(api, receiver.Url);
        var accounts = await TestAccounts.OpenAsync(api, "dbfo", 20, 50_000, 10_000, Ceilings);

        await using var load = PaymentLoad.Start(api, accounts, Load);
        await load.WaitForAnswersAsync(150);
        while (receiver.Accepted.Count < 50)
        {
            await Task.Delay(50);
        }

        var primary = await servers.PrimaryAsync();
        await servers.KillPostgresAsync(primary);
        output.WriteLine($"killed the PostgreSQL primary {primary} after {receiver.Accepted.Count} deliveries");
        // Payments go on on the promoted standby: so do their events, through the feed, the cursors and the leases.
        await load.WaitForAnswersAsync(load.AnsweredCount + 150);
        await servers.RestoreAsync();
        await load.WaitForAnswersAsync(load.AnsweredCount + 50);
        await load.StopAsync();
        var expected = await ExpectedAsync(accounts);
        var arrived = await WaitForAsync(receiver, expected);

        Assert.NotEqual(primary, await servers.PrimaryAsync());
        AssertInAccountOrder(arrived, expected);
        Assert.All(await IndependentSignature.VerifyAsync(secret, arrived), Assert.True);
        Assert.All(topology.Processes, p => Assert.True(p.IsRunning, $"{p.Name} stopped"));
    }

    [Fact]
    public async Task A_receiver_that_never_answers_does_not_hold_up_another_endpoint()
    {
        await using var topology = new PaymentsTopology(servers);
        await using var silent = await WebhookReceiver.StartAsync();
        await using var healthy = await WebhookReceiver.StartAsync();
        silent.Delay = TimeSpan.FromSeconds(60);
        var api = await StartRegionAsync(topology, silos: 1);
        var (silentId, _) = await RegisterAsync(api, silent.Url);
        await RegisterAsync(api, healthy.Url);
        var accounts = await TestAccounts.OpenAsync(api, "slow", 10, 50_000, 10_000, Ceilings);

        await RunLoadAsync(api, accounts, answers: 100);
        var expected = await ExpectedAsync(accounts);
        var arrived = await WaitForAsync(healthy, expected, TimeSpan.FromSeconds(30));

        AssertInAccountOrder(arrived, expected);
        Assert.NotEmpty(silent.Received);
        using var admin = api.CreateClient(PaymentsTopology.AdminKey);
        var timedOut = false;
        for (var i = 0; i < 60 && !timedOut; i++)
        {
            var deliveries = await admin.GetFromJsonAsync<JsonObject>($"/v1/webhook-endpoints/{silentId}/deliveries");
            timedOut = deliveries!["items"]!.AsArray().Any(d => ((string?)d!["error"])?.Contains("within 10 s", StringComparison.Ordinal) == true);
            await Task.Delay(500);
        }

        Assert.True(timedOut, "The silent endpoint's attempts are recorded as timed out after 10 s.");
    }

    private async Task<AppProcess> StartRegionAsync(PaymentsTopology topology, int silos)
    {
        for (var i = 0; i < silos; i++)
        {
            await topology.StartSiloAsync("region-a", _siloSettings);
        }

        return await topology.StartApiAsync("region-a");
    }

    private static async Task<(string Id, string Secret)> RegisterAsync(AppProcess api, string url)
    {
        using var admin = api.CreateClient(PaymentsTopology.AdminKey);
        using var created = await admin.PostAsJsonAsync("/v1/webhook-endpoints", new { url, types = Types, description = "test receiver" });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var body = await created.Content.ReadFromJsonAsync<JsonObject>();
        return ((string)body!["id"]!, (string)body["secret"]!);
    }

    private static async Task RunLoadAsync(AppProcess api, IReadOnlyList<string> accounts, int answers)
    {
        await using var load = PaymentLoad.Start(api, accounts, Load);
        await load.WaitForAnswersAsync(answers);
        await load.StopAsync();
    }

    /// <summary>The events the endpoint must receive, from the ledger: each account's payment and deposit rows, by seq.</summary>
    private async Task<Dictionary<string, List<long>>> ExpectedAsync(IReadOnlyList<string> accounts)
    {
        await using var connection = await servers.OpenPostgresAsync();
        await using var command = new NpgsqlCommand(
            "SELECT account_id, seq FROM ledger WHERE account_id = ANY(@ids) AND kind IN ('payment', 'deposit') ORDER BY account_id, seq",
            connection);
        command.Parameters.AddWithValue("ids", accounts.ToArray());
        var expected = new Dictionary<string, List<long>>(StringComparer.Ordinal);
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            var account = reader.GetString(0);
            if (!expected.TryGetValue(account, out var seqs))
            {
                expected[account] = seqs = [];
            }

            seqs.Add(reader.GetInt64(1));
        }

        return expected;
    }

    /// <summary>Waits until every expected event was accepted at least once; returns the first acceptance of each.</summary>
    private async Task<IReadOnlyList<ReceivedWebhook>> WaitForAsync(
        WebhookReceiver receiver, Dictionary<string, List<long>> expected, TimeSpan? wait = null)
    {
        var ids = expected.SelectMany(e => e.Value.Select(seq => $"{e.Key}:{seq}")).ToHashSet(StringComparer.Ordinal);
        var deadline = DateTime.UtcNow + (wait ?? ArrivalWait);
        List<ReceivedWebhook> first;
        do
        {
            await Task.Delay(200);
            first = receiver.Accepted.Where(w => ids.Contains(w.Id)).DistinctBy(w => w.Id).ToList();
        }
        while (first.Count < ids.Count && DateTime.UtcNow < deadline);

        output.WriteLine($"{first.Count} of {ids.Count} events arrived; {receiver.Received.Count} requests in all");
        Assert.Equal(ids.Order(StringComparer.Ordinal), first.Select(w => w.Id).Order(StringComparer.Ordinal));
        return first;
    }

    /// <summary>Each account's events were first accepted in seq order: the next one waited for the previous one.</summary>
    private static void AssertInAccountOrder(IReadOnlyList<ReceivedWebhook> arrived, Dictionary<string, List<long>> expected)
    {
        foreach (var (account, seqs) in expected)
        {
            var order = arrived.Where(w => w.Id.StartsWith(account + ":", StringComparison.Ordinal))
                .Select(w => long.Parse(w.Id[(account.Length + 1)..])).ToList();
            Assert.Equal(seqs, order);
        }
    }

    /// <summary>The process id of the silo holding the endpoint's lease (the dispatcher writes it into the owner).</summary>
    private async Task<int> OwnerProcessAsync(string endpointId)
    {
        await using var connection = await servers.OpenPostgresAsync();
        await using var command = new NpgsqlCommand(
            "SELECT lease_owner FROM webhook_endpoints WHERE endpoint_id = @id AND lease_expires_at > now()", connection);
        command.Parameters.AddWithValue("id", endpointId);
        for (var i = 0; i < 200; i++)
        {
            if (await command.ExecuteScalarAsync() is string owner)
            {
                return int.Parse(owner.Split('/')[2]);
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"No silo holds endpoint {endpointId}.");
    }
}
