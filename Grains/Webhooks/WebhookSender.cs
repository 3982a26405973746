using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;
using System.Text;
using Payments.Events;

namespace Payments.Webhooks;

/// <summary>
/// One delivery attempt: an HTTP POST of the event's CloudEvents JSON, signed, with a time limit. It connects only to
/// addresses the <see cref="UrlPolicy"/> allows, checked when the connection is made (so a name that changes what it
/// resolves to is caught), never through a proxy, and never follows a redirect.
/// </summary>
public sealed class WebhookSender : IDisposable
{
    private readonly HttpClient _http;
    private readonly UrlPolicy _policy;
    private readonly TimeSpan _timeout;

    public WebhookSender(UrlPolicy policy, TimeSpan timeout)
    {
        _policy = policy;
        _timeout = timeout;
        _http = new HttpClient(new SocketsHttpHandler
        {
            UseProxy = false,
            AllowAutoRedirect = false,
            PooledConnectionLifetime = TimeSpan.FromMinutes(1),
            ConnectCallback = ConnectAsync,
        })
        { Timeout = Timeout.InfiniteTimeSpan };
    }

    public async Task<AttemptResult> SendAsync(string url, byte[] key, FeedEvent feedEvent, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        if (_policy.Refusal(url) is { } refusal)
        {
            return new AttemptResult(now, null, refusal, TimeSpan.Zero);
        }

        var timestamp = now.ToUnixTimeSeconds();
        using var request = new HttpRequestMessage(HttpMethod.Post, url)
        {
            Content = new StringContent(feedEvent.Json, Encoding.UTF8, CloudEventJson.ContentType),
        };
        request.Headers.Add("webhook-id", feedEvent.Id);
        request.Headers.Add("webhook-timestamp", timestamp.ToString(CultureInfo.InvariantCulture));
        request.Headers.Add("webhook-signature", WebhookSignature.Sign(key, feedEvent.Id, timestamp, feedEvent.Json));
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(_timeout);
        try
        {
            using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, limit.Token);
            return new AttemptResult(now, (int)response.StatusCode, null, Stopwatch.GetElapsedTime(started));
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new AttemptResult(now, null, $"No answer within {_timeout.TotalSeconds:0} s.", Stopwatch.GetElapsedTime(started));
        }
        catch (HttpRequestException ex)
        {
            return new AttemptResult(now, null, ex.Message, Stopwatch.GetElapsedTime(started));
        }
    }

    public void Dispose() => _http.Dispose();

    private async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken cancellationToken)
    {
        var addresses = await _policy.AllowedAddressesAsync(context.DnsEndPoint.Host, cancellationToken);
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(addresses, context.DnsEndPoint.Port, cancellationToken);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }
}

/// <summary>What one attempt got: an HTTP status, or the error that stood in its way, and how long it took.</summary>
public sealed record AttemptResult(DateTimeOffset AttemptedAt, int? HttpStatus, string? Error, TimeSpan Duration)
{
    public bool Succeeded => HttpStatus is >= 200 and < 300;
}
