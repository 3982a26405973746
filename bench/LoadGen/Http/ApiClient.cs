using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Payments.LoadGen.Workload;

namespace Payments.LoadGen.Http;

/// <summary>
/// The REST API of api.md as the load generator uses it: one pooled HTTP/1.1 connection per concurrent request, so
/// no request waits for a connection, and bodies written and read without reflection.
/// </summary>
public sealed class ApiClient : IDisposable
{
    private static readonly MediaTypeHeaderValue Json = new("application/json");
    private readonly HttpClient _http;
    private readonly string _adminKey;
    private readonly string _terminalKey;

    /// <summary>How a 200 or 201 is read: a decision with a status, or a recorded entry without one.</summary>
    private enum Reply
    {
        Decision,
        Recorded,
    }

    public ApiClient(Uri baseAddress, int connections, ApiKeys keys)
    {
        (_adminKey, _terminalKey) = (keys.Admin, keys.Terminal);
        if (!IPAddress.TryParse(baseAddress.Host, out var address) || !IPAddress.IsLoopback(address))
        {
            throw new ArgumentException($"The load generator only targets loopback addresses, not {baseAddress.Host}.");
        }

        var handler = new SocketsHttpHandler
        {
            MaxConnectionsPerServer = connections,
            PooledConnectionIdleTimeout = TimeSpan.FromMinutes(5),
            PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
            UseCookies = false,
            UseProxy = false,
            AllowAutoRedirect = false,
            AutomaticDecompression = DecompressionMethods.None,
        };
        _http = new HttpClient(handler) { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(30) };
    }

    public Task<Answer> SendAsync(Operation operation) => operation.Kind switch
    {
        OperationKind.Payment => PostAsync(
            $"/v1/accounts/{operation.AccountId}/payments", _terminalKey, operation, MerchantBody(operation), Reply.Decision),
        OperationKind.Deposit => PostAsync(
            $"/v1/accounts/{operation.AccountId}/deposits", _adminKey, operation,
            $$"""{"amount":{{operation.Amount}},"currency":"EUR","reference":"loadgen deposit"}""", Reply.Recorded),
        OperationKind.Authorize => PostAsync(
            $"/v1/accounts/{operation.AccountId}/authorizations", _terminalKey, operation, MerchantBody(operation), Reply.Decision),
        OperationKind.Increment => PostAsync(
            HoldPath(operation, "increments"), _terminalKey, operation, $$"""{"amount":{{operation.Amount}}}""", Reply.Decision),
        OperationKind.Capture => PostAsync(
            HoldPath(operation, "captures"), _terminalKey, operation,
            $$"""{"amount":{{operation.Amount}},"final":{{(operation.Final ? "true" : "false")}}}""", Reply.Recorded),
        OperationKind.Reverse => PostAsync(
            HoldPath(operation, "reversals"), _terminalKey, operation,
            operation.Amount == 0 ? "{}" : $$"""{"amount":{{operation.Amount}}}""", Reply.Recorded),
        OperationKind.Read => ReadAsync(operation.AccountId),
        _ => throw new ArgumentOutOfRangeException(nameof(operation), operation.Kind, "No such operation."),
    };

    /// <summary>Opens an account; true when created (201) or already there (409).</summary>
    public async Task<bool> OpenAccountAsync(AccountSpec account)
    {
        var body = string.Create(CultureInfo.InvariantCulture,
            $$$"""{"accountId":"{{{account.AccountId}}}","region":"region-a","currency":"EUR","initialBalance":{{{account.InitialBalance}}},"limits":{"perPayment":{{{account.PerPayment}}},"daily":{{{account.Daily}}},"weekly":{{{account.Weekly}}},"monthly":{{{account.Monthly}}}}}""");
        using var request = Request(HttpMethod.Post, "/v1/accounts", _adminKey, null, body);
        using var response = await _http.SendAsync(request);
        return response.StatusCode is HttpStatusCode.Created or HttpStatusCode.Conflict;
    }

    /// <summary>The balance and, when the system has holds, what is held, as the API shows them for an account.</summary>
    public async Task<(long Balance, long? Held)?> AccountAsync(string accountId)
    {
        using var request = Request(HttpMethod.Get, $"/v1/accounts/{accountId}", _terminalKey, null, null);
        using var response = await _http.SendAsync(request);
        if (!response.IsSuccessStatusCode)
        {
            return null;
        }

        using var document = JsonDocument.Parse(await response.Content.ReadAsByteArrayAsync());
        var root = document.RootElement;
        return (root.GetProperty("balance").GetInt64(), root.TryGetProperty("held", out var held) ? held.GetInt64() : null);
    }

    /// <summary>Registers a webhook endpoint (admin key); its id and signing secret.</summary>
    public async Task<(string Id, string Secret)> CreateWebhookEndpointAsync(string url, IReadOnlyList<string> types)
    {
        var body = JsonSerializer.Serialize(new { url, types, description = "load generator" });
        using var request = Request(HttpMethod.Post, "/v1/webhook-endpoints", _adminKey, null, body);
        using var response = await _http.SendAsync(request);
        var content = await response.Content.ReadAsByteArrayAsync();
        if (response.StatusCode != HttpStatusCode.Created)
        {
            throw new InvalidOperationException($"Registering the webhook endpoint answered {ProblemLabel(response, content)}.");
        }

        using var document = JsonDocument.Parse(content);
        return (document.RootElement.GetProperty("id").GetString()!, document.RootElement.GetProperty("secret").GetString()!);
    }

    /// <summary>One page of the event feed after <paramref name="after"/> (admin key), waiting up to <paramref name="waitSeconds"/>.</summary>
    public async Task<EventsPage> EventsPageAsync(string? after, int limit, int waitSeconds, CancellationToken cancellationToken)
    {
        var query = $"/v1/events?limit={limit}&wait={waitSeconds}" + (after is null ? "" : $"&after={Uri.EscapeDataString(after)}");
        using var request = Request(HttpMethod.Get, query, _adminKey, null, null);
        using var response = await _http.SendAsync(request, cancellationToken);
        var content = await response.Content.ReadAsByteArrayAsync(cancellationToken);
        if (response.StatusCode != HttpStatusCode.OK)
        {
            throw new InvalidOperationException($"The event feed answered {ProblemLabel(response, content)}.");
        }

        var at = DateTimeOffset.UtcNow;
        using var document = JsonDocument.Parse(content);
        var items = document.RootElement.GetProperty("items").EnumerateArray()
            .Select(item => new ArrivedEvent(item.GetProperty("id").GetString()!, item.GetProperty("time").GetDateTimeOffset(), at))
            .ToList();
        return new EventsPage(items, document.RootElement.GetProperty("next").GetString()!);
    }

    public void Dispose() => _http.Dispose();

    private static string MerchantBody(Operation operation) =>
        $$"""{"amount":{{operation.Amount}},"currency":"EUR","merchant":"{{operation.Merchant}}","mcc":"{{operation.Mcc}}"}""";

    private static string HoldPath(Operation operation, string what) =>
        $"/v1/accounts/{operation.AccountId}/authorizations/{operation.Hold!.AuthorizationId}/{what}";

    private async Task<Answer> PostAsync(string path, string apiKey, Operation operation, string body, Reply reply)
    {
        try
        {
            using var request = Request(HttpMethod.Post, path, apiKey, operation.Key, body);
            using var response = await _http.SendAsync(request);
            var content = await response.Content.ReadAsByteArrayAsync();
            var replayed = response.StatusCode == HttpStatusCode.OK;
            return response.StatusCode switch
            {
                HttpStatusCode.Created or HttpStatusCode.OK when reply == Reply.Decision => Decision(operation, content, replayed),
                HttpStatusCode.Created or HttpStatusCode.OK =>
                    new Answer($"{operation.LedgerKind}{(replayed ? " replayed" : "")}", true, false, replayed),
                HttpStatusCode.UnprocessableEntity when operation.Hold is not null => Answer.Refused(ProblemLabel(response, content)),
                _ => Answer.Error(ProblemLabel(response, content)),
            };
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
        {
            return Answer.Error(ex is TaskCanceledException ? "timeout" : "connection");
        }
    }

    private async Task<Answer> ReadAsync(string accountId)
    {
        try
        {
            using var request = Request(HttpMethod.Get, $"/v1/accounts/{accountId}", _terminalKey, null, null);
            using var response = await _http.SendAsync(request);
            var content = await response.Content.ReadAsByteArrayAsync();
            return response.StatusCode == HttpStatusCode.OK
                ? new Answer("read", false, false, false)
                : Answer.Error(ProblemLabel(response, content));
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
        {
            return Answer.Error(ex is TaskCanceledException ? "timeout" : "connection");
        }
    }

    private static HttpRequestMessage Request(HttpMethod method, string path, string apiKey, string? idempotencyKey, string? body)
    {
        var request = new HttpRequestMessage(method, path) { Version = HttpVersion.Version11 };
        request.Headers.TryAddWithoutValidation("Authorization", "Bearer " + apiKey);
        if (idempotencyKey is not null)
        {
            request.Headers.TryAddWithoutValidation("Idempotency-Key", idempotencyKey);
        }

        if (body is not null)
        {
            request.Content = new ByteArrayContent(Encoding.UTF8.GetBytes(body));
            request.Content.Headers.ContentType = Json;
        }

        return request;
    }

    /// <summary>
    /// Reads "status" and "declineReason" of a payment, authorization or increment body: approved (payment, increment) or
    /// pending (authorization) is recorded. A payment's label is its decision alone, the others' name their kind.
    /// </summary>
    private static Answer Decision(Operation operation, byte[] content, bool replayed)
    {
        string? status = null;
        string? reason = null;
        var reader = new Utf8JsonReader(content);
        while (reader.Read())
        {
            if (reader.TokenType != JsonTokenType.PropertyName || reader.CurrentDepth != 1)
            {
                continue;
            }

            if (reader.ValueTextEquals("status"u8))
            {
                reader.Read();
                status = reader.GetString();
            }
            else if (reader.ValueTextEquals("declineReason"u8))
            {
                reader.Read();
                reason = reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
            }
        }

        var recorded = status is "approved" or "pending";
        var decision = recorded ? status! : $"declined: {reason ?? status ?? "?"}";
        var label = operation.Kind == OperationKind.Payment ? decision : $"{operation.LedgerKind} {decision}";
        var isPayment = operation.Kind == OperationKind.Payment;
        return new Answer(replayed ? $"replayed ({label})" : label, recorded, isPayment && recorded && !replayed, replayed);
    }

    /// <summary>"503 unavailable": the status and the problem's code; a 503 or 429 without Retry-After says so.</summary>
    private static string ProblemLabel(HttpResponseMessage response, byte[] content)
    {
        var status = response.StatusCode;
        var code = "";
        try
        {
            using var document = JsonDocument.Parse(content);
            if (document.RootElement.TryGetProperty("code", out var value))
            {
                code = " " + value.GetString();
            }
        }
        catch (JsonException)
        {
            // Not a problem document (a proxy's page, an empty body): the status alone says enough.
        }

        var retryAfter = status is not (HttpStatusCode.ServiceUnavailable or HttpStatusCode.TooManyRequests)
            || response.Headers.RetryAfter is not null;
        return $"{(int)status}{code}{(retryAfter ? "" : Answer.NoRetryAfter)}";
    }
}
