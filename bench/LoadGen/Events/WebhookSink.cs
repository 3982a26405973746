using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Payments.LoadGen.Http;

namespace Payments.LoadGen.Events;

/// <summary>
/// A real webhook receiver (Kestrel on 127.0.0.1, a free port): checks each delivery's Standard Webhooks signature,
/// records its arrival and answers 204 at once, so what is measured is the delivery, not the receiver.
/// </summary>
public sealed class WebhookSink : IAsyncDisposable
{
    private readonly WebApplication _app;
    private byte[]? _key;
    private long _badSignatures;

    private WebhookSink(WebApplication app, EventArrivals arrivals)
    {
        _app = app;
        Arrivals = arrivals;
    }

    public EventArrivals Arrivals { get; }

    public string Url { get; private set; } = "";

    /// <summary>Deliveries whose signature did not verify with the endpoint's secret (answered 400).</summary>
    public long BadSignatures => Interlocked.Read(ref _badSignatures);

    public static async Task<WebhookSink> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        var sink = new WebhookSink(app, new EventArrivals("webhooks"));
        app.MapPost("/hook", (Delegate)sink.ReceiveAsync);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        sink.Url = $"{address}/hook";
        return sink;
    }

    /// <summary>The endpoint's secret as the API returned it (<c>whsec_</c> + base64).</summary>
    public void UseSecret(string secret) => _key = Convert.FromBase64String(secret["whsec_".Length..]);

    private async Task<IResult> ReceiveAsync(HttpContext context)
    {
        using var reader = new StreamReader(context.Request.Body);
        var body = await reader.ReadToEndAsync();
        var arrivedAt = DateTimeOffset.UtcNow;
        var headers = context.Request.Headers;
        var id = headers["webhook-id"].ToString();
        if (_key is not { } key || !Verifies(key, id, headers["webhook-timestamp"].ToString(), body, headers["webhook-signature"].ToString()))
        {
            Interlocked.Increment(ref _badSignatures);
            return Results.BadRequest();
        }

        using var document = JsonDocument.Parse(body);
        Arrivals.Arrived(new ArrivedEvent(id, document.RootElement.GetProperty("time").GetDateTimeOffset(), arrivedAt));
        return Results.NoContent();
    }

    /// <summary>Standard Webhooks: <c>v1,</c> + base64 HMAC-SHA256 of <c>{id}.{timestamp}.{body}</c>; any of the listed signatures.</summary>
    private static bool Verifies(byte[] key, string id, string timestamp, string body, string signatures)
    {
        var expected = "v1," + Convert.ToBase64String(HMACSHA256.HashData(key, Encoding.UTF8.GetBytes($"{id}.{timestamp}.{body}")));
        return signatures.Split(' ', StringSplitOptions.RemoveEmptyEntries).Any(signature => signature == expected);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
