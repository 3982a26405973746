using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace Payments.Drill;

/// <summary>
/// A card terminal (or the gateway in front of many): sends a payment to its region's address and retries answers 5xx
/// and unreachable addresses with the same Idempotency-Key until a decision comes back or the retry budget is spent.
/// In <see cref="TerminalMode.Failover"/> it sends to the other region's API while its own cannot be reached; in
/// <see cref="TerminalMode.Plain"/> it only ever uses its region's address (a front door that does the failover).
/// </summary>
public sealed class PaymentTerminal : IDisposable
{
    /// <summary>The response header in which the front door names the region whose API answered.</summary>
    public const string FrontDoorApiHeader = "X-Front-Door-Api";

    private readonly HttpClient _http;
    private readonly IReadOnlyDictionary<string, Uri> _apis;
    private readonly TerminalOptions _options;
    private readonly IAddressChoice _choice;

    /// <param name="apis">Each region's base address: its API, or its front door.</param>
    public PaymentTerminal(IReadOnlyDictionary<string, Uri> apis, string terminalKey, TerminalOptions options)
    {
        _apis = apis;
        _options = options;
        _choice = IAddressChoice.For(options.Mode, apis.Keys, options.ApiQuarantine);
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
            var region = _choice.Choose(preferred);
            try
            {
                using var response = await _http.SendAsync(Request(region, account.AccountId, key, amount));
                _choice.Reached(region);
                if (response.StatusCode is HttpStatusCode.Created or HttpStatusCode.OK)
                {
                    var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
                    return new PaymentOutcome(account.AccountId, account.Region, key, amount, (string)body["status"]!,
                        (string?)body["decidedBy"], AnsweredBy(response, region), sentAt, DateTimeOffset.UtcNow, attempts);
                }

                if ((int)response.StatusCode < 500)
                {
                    throw new InvalidOperationException(
                        $"Payment {key} answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
                }
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
            {
                _choice.Unreachable(region);
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

    // A front door names the API that answered (HAProxy's server name is the API's region); without one, the API
    // answering is the one the request was sent to.
    private static string AnsweredBy(HttpResponseMessage response, string region) =>
        response.Headers.TryGetValues(FrontDoorApiHeader, out var values) ? values.First() : region;
}
