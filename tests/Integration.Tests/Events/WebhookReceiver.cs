using System.Collections.Concurrent;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Payments.Integration.Tests.Events;

/// <summary>A webhook as it reached the receiver: the Standard Webhooks headers and the body exactly as sent.</summary>
public sealed record ReceivedWebhook(
    string Id, string Timestamp, string Signature, string? ContentType, long? ContentLength, string Body, DateTimeOffset At);

/// <summary>
/// A real HTTP receiver (Kestrel on 127.0.0.1, a free port) that records every webhook and answers what the test says:
/// a status, or no answer for a while.
/// </summary>
public sealed class WebhookReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<ReceivedWebhook> _received = new();

    private WebhookReceiver(WebApplication app) => _app = app;

    /// <summary>The status each request is answered with; 200 unless the test changes it.</summary>
    public Func<ReceivedWebhook, int> Answer { get; set; } = _ => 200;

    /// <summary>How long each request waits before its answer.</summary>
    public TimeSpan Delay { get; set; } = TimeSpan.Zero;

    public string Url { get; private set; } = "";

    /// <summary>Every request that reached the receiver, answered or not, in arrival order.</summary>
    public IReadOnlyList<ReceivedWebhook> Received => [.. _received];

    /// <summary>The requests answered 2xx, in arrival order.</summary>
    public ConcurrentQueue<ReceivedWebhook> Accepted { get; } = new();

    public static async Task<WebhookReceiver> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        var receiver = new WebhookReceiver(app);
        app.MapPost("/hook", (Delegate)receiver.HandleAsync);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        receiver.Url = $"{address.Replace("[::1]", "127.0.0.1", StringComparison.Ordinal)}/hook";
        return receiver;
    }

    private async Task<IResult> HandleAsync(HttpContext context)
    {
        using var reader = new StreamReader(context.Request.Body);
        var body = await reader.ReadToEndAsync();
        var headers = context.Request.Headers;
        var webhook = new ReceivedWebhook(
            headers["webhook-id"].ToString(), headers["webhook-timestamp"].ToString(), headers["webhook-signature"].ToString(),
            context.Request.ContentType, context.Request.ContentLength, body, DateTimeOffset.UtcNow);
        _received.Enqueue(webhook);
        if (Delay > TimeSpan.Zero)
        {
            await Task.Delay(Delay, context.RequestAborted);
        }

        var status = Answer(webhook);
        if (status is >= 200 and < 300)
        {
            Accepted.Enqueue(webhook);
        }

        return Results.StatusCode(status);
    }

    public async ValueTask DisposeAsync()
    {
        using var stopping = new CancellationTokenSource(TimeSpan.FromSeconds(2));
        await _app.StopAsync(stopping.Token);
        await _app.DisposeAsync();
    }
}
