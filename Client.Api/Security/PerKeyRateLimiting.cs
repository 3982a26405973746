using System.Collections.Concurrent;
using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;
using Payments.Api.Problems;
using Payments.Hosting.Problems;
using Payments.Hosting.Security;

namespace Payments.Api.Security;

/// <summary>
/// A token bucket per API key name (per client address for requests without a valid key), refilled every
/// <see cref="RateLimitSettings.Period"/>; a request over the limit is answered 429 <c>rate_limited</c> with
/// <c>Retry-After</c> before any handler runs.
/// </summary>
public static class PerKeyRateLimiting
{
    public static IServiceCollection AddPerKeyRateLimiting(this IServiceCollection services, RateLimitSettings limits)
    {
        // A key's partition is made once per key name and role, not on every request; the names are as few as the keys.
        var keys = new ConcurrentDictionary<(string Name, bool Admin), RateLimitPartition<string>>();
        return services.AddRateLimiter(options =>
        {
            options.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(context =>
                context.User.Identity is { IsAuthenticated: true, Name: { } name }
                    ? keys.GetOrAdd((name, context.User.IsInRole(Roles.Admin)),
                        static (key, limits) => Partition($"key:{key.Name}", key.Admin ? limits.Admin : limits.Terminal, limits), limits)
                    : Partition($"address:{context.Connection.RemoteIpAddress}", limits.Anonymous, limits));
            options.OnRejected = RejectAsync;
        });
    }

    private static RateLimitPartition<string> Partition(string key, int permits, RateLimitSettings limits) =>
        RateLimitPartition.GetTokenBucketLimiter(key, _ => new TokenBucketRateLimiterOptions
        {
            TokenLimit = permits,
            TokensPerPeriod = permits,
            ReplenishmentPeriod = limits.Period,
            QueueLimit = 0,
            AutoReplenishment = true,
        });

    private static async ValueTask RejectAsync(OnRejectedContext rejected, CancellationToken cancellationToken)
    {
        var seconds = rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter)
            ? Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds))
            : ApiProblems.RetryAfterSeconds;
        var context = rejected.HttpContext;
        context.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        await ApiProblems.Create(StatusCodes.Status429TooManyRequests, ProblemCodes.RateLimited, "Too many requests.",
            $"This API key's request rate is over its limit; retry after {seconds} s.").ExecuteAsync(context);
    }
}
