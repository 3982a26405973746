using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace Payments.Integration.Tests.Infrastructure;

/// <summary>What the load sends: how many terminals at once, the amounts, and how often a deposit comes in.</summary>
/// <param name="DepositEvery">One operation in this many is a back-office deposit rather than a card payment.</param>
public sealed record LoadProfile(int Terminals, long MinAmount, long MaxAmount, int DepositEvery, long DepositAmount);

/// <summary>One attempt of a request: its HTTP status (0 when no answer came back at all) and when it ended.</summary>
public sealed record Attempt(int Status, DateTimeOffset At);

/// <summary>One payment or deposit, sent with its Idempotency-Key until it was answered.</summary>
/// <param name="Outcome">"approved" or "declined" for a payment, "deposited" for a deposit, null for an error.</param>
public sealed record Answered(
    string Key, string AccountId, bool IsDeposit, long Amount, IReadOnlyList<Attempt> Attempts, string? Outcome,
    long? BalanceAfter, TimeSpan Elapsed)
{
    public int FinalStatus => Attempts[^1].Status;

    /// <summary>Attempts that got no answer or a 502, 503 or 504 before the final one.</summary>
    public int Retries => Attempts.Count - 1;
}

/// <summary>Figures of a load for the test output.</summary>
public static class AnswersReport
{
    public static string Describe(this IReadOnlyList<Answered> answers)
    {
        var retried = answers.Where(a => a.Retries > 0).ToList();
        return $"{answers.Count} requests answered ({answers.Count(a => a.Outcome == "approved")} approved, " +
            $"{answers.Count(a => a.Outcome == "declined")} declined, {answers.Count(a => a.IsDeposit)} deposits); " +
            $"{retried.Count} needed retries ({retried.Sum(a => a.Retries)} retries after " +
            $"{retried.Sum(a => a.Attempts.Count(t => t.Status == 503))} answers 503 and " +
            $"{retried.Sum(a => a.Attempts.Count(t => t.Status == 0))} no answer); " +
            $"longest until answered {answers.Max(a => a.Elapsed).TotalSeconds.ToString("F1", CultureInfo.InvariantCulture)} s";
    }
}

/// <summary>
/// Merchant terminals and a back office sending payments and deposits through one API at the same time, the way real
/// clients do: every request carries an Idempotency-Key, and a request that gets no answer or a 502, 503 or 504 is sent again,
/// same key and same body, until it gets any other answer. The final answers are kept for the test to hold against
/// the ledger.
/// </summary>
public sealed class PaymentLoad : IAsyncDisposable
{
    private static readonly TimeSpan GiveUpAfter = TimeSpan.FromMinutes(3);
    private static readonly TimeSpan NoAnswerDelay = TimeSpan.FromMilliseconds(250);
    private readonly HttpClient _terminal;
    private readonly HttpClient _admin;
    private readonly IReadOnlyList<string> _accounts;
    private readonly LoadProfile _profile;
    private readonly string _run = Guid.NewGuid().ToString("N")[..8];
    private readonly ConcurrentQueue<Answered> _answers = new();
    private readonly CancellationTokenSource _stopping = new();
    private readonly List<Task> _terminals = [];
    private TaskCompletionSource _gate = Opened();
    private int _parked;

    private PaymentLoad(Func<string, HttpClient> client, IReadOnlyList<string> accounts, LoadProfile profile)
    {
        _terminal = client(PaymentsTopology.TerminalKey);
        _admin = client(PaymentsTopology.AdminKey);
        _accounts = accounts;
        _profile = profile;
    }

    /// <summary>Every request answered so far, in the order the answers came.</summary>
    public IReadOnlyList<Answered> Answers => [.. _answers];

    public int AnsweredCount => _answers.Count;

    /// <summary>Starts <see cref="LoadProfile.Terminals"/> terminals against <paramref name="api"/>.</summary>
    public static PaymentLoad Start(AppProcess api, IReadOnlyList<string> accounts, LoadProfile profile) =>
        Start(api.CreateClient, accounts, profile);

    /// <summary>Starts <see cref="LoadProfile.Terminals"/> terminals against <paramref name="address"/>, e.g. a front door.</summary>
    public static PaymentLoad Start(Uri address, IReadOnlyList<string> accounts, LoadProfile profile) =>
        Start(apiKey => RunningRegion.Client(address, apiKey), accounts, profile);

    private static PaymentLoad Start(Func<string, HttpClient> client, IReadOnlyList<string> accounts, LoadProfile profile)
    {
        var load = new PaymentLoad(client, accounts, profile);
        for (var i = 0; i < profile.Terminals; i++)
        {
            var terminal = i;
            load._terminals.Add(Task.Run(() => load.RunTerminalAsync(terminal)));
        }

        return load;
    }

    /// <summary>Waits until <paramref name="count"/> requests in all have been answered.</summary>
    public async Task WaitForAnswersAsync(int count)
    {
        var waited = Stopwatch.StartNew();
        while (_answers.Count < count)
        {
            if (waited.Elapsed > GiveUpAfter)
            {
                throw new TimeoutException($"Only {_answers.Count} of {count} requests answered after {GiveUpAfter}.");
            }

            ThrowIfATerminalFailed();
            await Task.Delay(20);
        }
    }

    /// <summary>Holds every terminal before its next request and waits until all of them are held.</summary>
    public async Task PauseAsync()
    {
        Volatile.Write(ref _gate, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
        while (Volatile.Read(ref _parked) < _profile.Terminals)
        {
            ThrowIfATerminalFailed();
            await Task.Delay(10);
        }
    }

    /// <summary>Lets every held terminal go at once: a burst of <see cref="LoadProfile.Terminals"/> requests.</summary>
    public void Resume() => Volatile.Read(ref _gate).TrySetResult();

    /// <summary>Sends no new request, waits until every request under way has been answered, returns all answers.</summary>
    public async Task<IReadOnlyList<Answered>> StopAsync()
    {
        await _stopping.CancelAsync();
        Resume();
        await Task.WhenAll(_terminals);
        return Answers;
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        Resume();
        try
        {
            await Task.WhenAll(_terminals);
        }
        catch (Exception)
        {
            // Already reported by the test that awaited the load.
        }

        _terminal.Dispose();
        _admin.Dispose();
        _stopping.Dispose();
    }

    private async Task RunTerminalAsync(int terminal)
    {
        var random = new Random(terminal * 7919 + 17);
        for (var n = 1; !_stopping.IsCancellationRequested; n++)
        {
            await PassGateAsync();
            if (_stopping.IsCancellationRequested)
            {
                return;
            }

            var accountId = _accounts[random.Next(_accounts.Count)];
            var isDeposit = _profile.DepositEvery > 0 && random.Next(_profile.DepositEvery) == 0;
            var amount = isDeposit ? _profile.DepositAmount : random.NextInt64(_profile.MinAmount, _profile.MaxAmount + 1);
            var key = $"{_run}-t{terminal}-{n}";
            _answers.Enqueue(isDeposit
                ? await SendUntilAnsweredAsync(key, accountId, true, amount, _admin, $"/v1/accounts/{accountId}/deposits",
                    new { amount, currency = "EUR", reference = $"top-up {key}" })
                : await SendUntilAnsweredAsync(key, accountId, false, amount, _terminal, $"/v1/accounts/{accountId}/payments",
                    new { amount, currency = "EUR", merchant = $"Terminal {terminal}", mcc = "5411" }));
        }
    }

    private async Task PassGateAsync()
    {
        var gate = Volatile.Read(ref _gate);
        if (gate.Task.IsCompleted)
        {
            return;
        }

        Interlocked.Increment(ref _parked);
        try
        {
            await gate.Task;
        }
        finally
        {
            Interlocked.Decrement(ref _parked);
        }
    }

    private static async Task<Answered> SendUntilAnsweredAsync(
        string key, string accountId, bool isDeposit, long amount, HttpClient client, string path, object body)
    {
        var attempts = new List<Attempt>();
        var elapsed = Stopwatch.StartNew();
        while (true)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = JsonContent.Create(body) };
            request.Headers.Add("Idempotency-Key", key);
            HttpResponseMessage response;
            try
            {
                response = await client.SendAsync(request);
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
            {
                attempts.Add(new Attempt(0, DateTimeOffset.UtcNow));
                await RetryLaterAsync(elapsed, key, NoAnswerDelay);
                continue;
            }

            using (response)
            {
                attempts.Add(new Attempt((int)response.StatusCode, DateTimeOffset.UtcNow));
                // 502 and 504 come from a proxy in front of the API (a front door) that lost its answer.
                if (response.StatusCode is HttpStatusCode.ServiceUnavailable or HttpStatusCode.BadGateway or HttpStatusCode.GatewayTimeout)
                {
                    await RetryLaterAsync(elapsed, key, RetryAfter(response));
                    continue;
                }

                var json = response.IsSuccessStatusCode ? JsonNode.Parse(await response.Content.ReadAsStringAsync()) : null;
                var outcome = json is null ? null : isDeposit ? "deposited" : (string?)json["status"];
                return new Answered(key, accountId, isDeposit, amount, attempts, outcome, (long?)json?["balanceAfter"], elapsed.Elapsed);
            }
        }
    }

    private static TimeSpan RetryAfter(HttpResponseMessage response) =>
        response.Headers.RetryAfter?.Delta is { } delta && delta < TimeSpan.FromSeconds(1) ? delta : TimeSpan.FromSeconds(1);

    private static Task RetryLaterAsync(Stopwatch elapsed, string key, TimeSpan delay) =>
        elapsed.Elapsed > GiveUpAfter
            ? throw new TimeoutException($"Request {key} still unanswered after {elapsed.Elapsed.TotalSeconds.ToString("F0", CultureInfo.InvariantCulture)} s.")
            : Task.Delay(delay);

    private void ThrowIfATerminalFailed()
    {
        if (_terminals.FirstOrDefault(t => t.IsFaulted) is { } failed)
        {
            failed.GetAwaiter().GetResult();
        }
    }

    private static TaskCompletionSource Opened()
    {
        var gate = new TaskCompletionSource();
        gate.SetResult();
        return gate;
    }
}
