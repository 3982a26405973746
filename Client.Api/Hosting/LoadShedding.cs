using System.Diagnostics.Metrics;
using Microsoft.Extensions.Options;
using Payments.Api.Problems;

namespace Payments.Api.Hosting;

/// <summary>
/// <c>Payments:LoadShedding</c>: how many API requests (paths under <c>/v1</c>) one API process serves at once.
/// </summary>
public sealed class LoadSheddingOptions
{
    public const string Section = "Payments:LoadShedding";

    /// <summary>
    /// Requests in progress at once; one more is answered 503 <c>unavailable</c> with Retry-After at once. Enough for
    /// the machine's saturation rate at tens of milliseconds each; what is beyond would only queue past the deadline.
    /// </summary>
    public int MaxConcurrentRequests { get; set; } = 512;

    public static bool IsValid(LoadSheddingOptions options) => options.MaxConcurrentRequests > 0;
}

/// <summary>
/// Sheds what the system cannot serve in time: past <see cref="LoadSheddingOptions.MaxConcurrentRequests"/> requests
/// in progress, a request is answered 503 <c>unavailable</c> with Retry-After before it is authenticated or reaches a
/// grain, so nothing of it is recorded and its retry (same Idempotency-Key) is safe. Without a bound an overload
/// queues requests in every process until each one outlives its deadline, and the queues take long to drain after the
/// overload ends. Health probes and metrics are never shed.
/// </summary>
public sealed class LoadShedding(IOptions<LoadSheddingOptions> options, IMeterFactory meters)
{
    public const string MeterName = "Payments.Api.LoadShedding";

    private readonly int _max = options.Value.MaxConcurrentRequests;
    private readonly Counter<long> _shed = meters.Create(MeterName)
        .CreateCounter<long>("payments.api.shed_requests", "{request}", "Requests answered 503 because the API was at its concurrency limit");
    private int _inProgress;

    /// <summary>API requests in progress now.</summary>
    public int InProgress => Volatile.Read(ref _inProgress);

    public async Task InvokeAsync(HttpContext context, RequestDelegate next)
    {
        if (!context.Request.Path.StartsWithSegments("/v1", StringComparison.OrdinalIgnoreCase))
        {
            await next(context);
            return;
        }

        if (Interlocked.Increment(ref _inProgress) > _max)
        {
            Interlocked.Decrement(ref _inProgress);
            _shed.Add(1);
            await ApiProblems.Overloaded(context).ExecuteAsync(context);
            return;
        }

        try
        {
            await next(context);
        }
        finally
        {
            Interlocked.Decrement(ref _inProgress);
        }
    }
}

public static class LoadSheddingServices
{
    public static IServiceCollection AddLoadShedding(this IServiceCollection services)
    {
        services.AddOptions<LoadSheddingOptions>().BindConfiguration(LoadSheddingOptions.Section)
            .Validate(LoadSheddingOptions.IsValid, $"{LoadSheddingOptions.Section}:MaxConcurrentRequests must be positive.")
            .ValidateOnStart();
        return services.AddSingleton<LoadShedding>();
    }

    public static IApplicationBuilder UseLoadShedding(this IApplicationBuilder app)
    {
        var shedding = app.ApplicationServices.GetRequiredService<LoadShedding>();
        return app.Use(next => context => shedding.InvokeAsync(context, next));
    }
}
