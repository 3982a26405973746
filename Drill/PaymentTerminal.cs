using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace Payments.Drill;

/// <summary>
/// A card terminal (or the gateway in front of many): sends a payment to its region's API and, when that API cannot
/// be reached, to the other region's; answers 503 and unreachable APIs are retried with the same Idempotency-Key
/// until a decision comes back or the retry budget is spent.
/// </summary>
public sealed class PaymentTerminal : IDisposable
{
    private readonly HttpClient _http;
    private readonly IReadOnlyDictionary<string, Uri> _apis;
    private readonly TerminalOptions _options;
    private readonly Dictionary<string, DateTimeOffset> _quarantinedUntil = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _failuresInARow = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();

    /// <param name="apis">Each region's API base address.</param>
    public PaymentTerminal(IReadOnlyDictionary<string, Uri> apis, string terminalKey, TerminalOptions options)
    {
        _apis = apis;
        _options = options;
        _http = new HttpClient(new SocketsHttpHandler
        {
            ConnectTimeout = options.ConnectTimeout,
            PooledConnectionLifetime = TimeSpan.FromSeconds(30),
        })
        { Timeout = options.RequestTimeout };
        _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", terminalKey);
    }

    /// <summary>Pays <paramref name="amount"/> from <paramref name="account"/> through the API of <paramref name="viaRegion"/> first.</summary>
    public async Task<PaymentOutcome> PayAsync(DrillAccount account, string key, long amount, string? viaRegion = null)
    {
        var sentAt = DateTimeOffset.UtcNow;
        var attempts = 0;
        var preferred = viaRegion ?? account.Region;
        while (DateTimeOffset.UtcNow - sentAt < _options.RetryBudget)
        {
            attempts++;
            var region = PickApi(preferred);
            try
            {
                using var response = await _http.SendAsync(Request(region, account.AccountId, key, amount));
                Reached(region);
                if (response.StatusCode is HttpStatusCode.Created or HttpStatusCode.OK)
                {
                    var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
                    return new PaymentOutcome(account.AccountId, account.Region, key, amount, (string)body["status"]!,
                        (string?)body["decidedBy"], region, sentAt, DateTimeOffset.UtcNow, attempts);
                }

                if ((int)response.StatusCode < 500)
                {
                    throw new InvalidOperationException(
                        $"Payment {key} answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
                }
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
            {
                Quarantine(region);
            }

            await Task.Delay(_options.RetryDelay);
        }

        return new PaymentOutcome(account.AccountId, account.Region, key, amount, PaymentOutcome.Unanswered, null, null,
            sentAt, DateTimeOffset.UtcNow, attempts);
    }

    public void Dispose() => _http.Dispose();

    private HttpRequestMessage Request(string region, string accountId, string key, long amount)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, new Uri(_apis[region], $"/v1/accounts/{accountId}/payments"))
        {
            Content = JsonContent.Create(new { amount, currency = "EUR", merchant = "Drill Terminal", mcc = "5411" }),
        };
        request.Headers.Add("Idempotency-Key", key);
        return request;
    }

    private string PickApi(string preferred)
    {
        lock (_lock)
        {
            var now = DateTimeOffset.UtcNow;
            var order = _apis.Keys.OrderBy(r => r == preferred ? 0 : 1).ThenBy(r => r, StringComparer.Ordinal).ToList();
            return order.FirstOrDefault(r => !_quarantinedUntil.TryGetValue(r, out var until) || until <= now) ?? preferred;
        }
    }

    // Each failure in a row doubles the time the API is kept aside (up to 8 times), so that a region that stays down
    // costs its terminals one timed-out request now and then rather than one every quarantine.
    private void Quarantine(string region)
    {
        lock (_lock)
        {
            var failures = _failuresInARow[region] = _failuresInARow.GetValueOrDefault(region) + 1;
            _quarantinedUntil[region] = DateTimeOffset.UtcNow + (_options.ApiQuarantine * (1 << Math.Min(failures - 1, 3)));
        }
    }

    private void Reached(string region)
    {
        lock (_lock)
        {
            _failuresInARow.Remove(region);
        }
    }
}
