using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Payments.Api.Problems;
using Payments.Api.Routing;
using Payments.Api.Validation;
using Payments.Contracts;
using Payments.Events;
using Payments.Hosting.Security;

namespace Payments.Api.Apis;

/// <summary>The event feed: every recorded operation as a CloudEvent, in commit order, with cursors and long poll.</summary>
public static class EventsApi
{
    private const int DefaultPageSize = 100;
    private const int MaxPageSize = 500;
    private const int MaxWaitSeconds = 60;

    /// <summary>
    /// How often a long poll looks again when it hears of no append (<see cref="ILedgerAppends"/> wakes it at once):
    /// what a lost notification costs.
    /// </summary>
    private static readonly TimeSpan FallbackPoll = TimeSpan.FromSeconds(2);

    public static IEndpointRouteBuilder MapEventsApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/v1/events", ListAsync).WithTags("Events").WithName("ListEvents")
            .WithSummary("Every recorded operation as a CloudEvent, in commit order; wait=N long-polls")
            .RequireAuthorization(Roles.AdminPolicy)
            .WithRequestTimeout(TimeSpan.FromSeconds(MaxWaitSeconds + 15));
        return app;
    }

    public static async Task<Results<Ok<EventListResponse>, ProblemHttpResult>> ListAsync(
        AccountRouter router, ApiRegion region, ILedgerAppends appends, TimeProvider time, HttpContext context)
    {
        var (after, badAfter) = RequestContext.SingleQuery(context.Request, "after");
        var (limit, badLimit) = RequestContext.SingleQuery(context.Request, "limit");
        var (wait, badWait) = RequestContext.SingleQuery(context.Request, "wait");
        var (accountId, badAccount) = RequestContext.SingleQuery(context.Request, "accountId");
        if ((badAfter ?? badLimit ?? badWait ?? badAccount) is { } repeated)
        {
            return repeated;
        }

        var types = context.Request.Query["type"].Select(t => t ?? "").ToList();
        var position = FeedPosition.Start;
        var pageSize = DefaultPageSize;
        var waitSeconds = 0;
        var errors = new Errors()
            .Check(after is null || FeedPosition.TryParse(after, out position), "after", "A cursor returned as 'next' by a previous page.")
            .Check(limit is null || (int.TryParse(limit, NumberStyles.None, CultureInfo.InvariantCulture, out pageSize) && pageSize is >= 1 and <= MaxPageSize),
                "limit", $"A whole number between 1 and {MaxPageSize}.")
            .Check(wait is null || (int.TryParse(wait, NumberStyles.None, CultureInfo.InvariantCulture, out waitSeconds) && waitSeconds <= MaxWaitSeconds),
                "wait", $"Seconds to wait for an event, 0 to {MaxWaitSeconds}.")
            .Check(accountId is null || FieldRules.IsAccountId(accountId), "accountId", "1 to 64 characters of [A-Za-z0-9_-].")
            .Check(types.All(EventTypeFilter.IsValid), "type", "Event types of the contract, or a prefix of them ending in '.*' (payment.*).");
        if (errors.Any)
        {
            return ApiProblems.Validation(errors.Fields);
        }

        var query = new EventQuery(position, pageSize, types, accountId);
        var deadline = time.GetUtcNow().AddSeconds(waitSeconds);
        var waiter = new FeedWaiter(appends, FallbackPoll, time);
        while (true)
        {
            waiter.Reading();
            var page = await router.CallAsync(region.Name, grains => grains.GetGrain<IEventFeedGrain>(0).ReadAsync(query),
                Retry.OnAnotherCluster, context.RequestAborted);
            var left = deadline - time.GetUtcNow();
            if (page.Items.Count > 0 || left <= TimeSpan.Zero)
            {
                var items = page.Items.Select(json => JsonSerializer.Deserialize<JsonElement>(json)).ToList();
                // Empty after waiting: the cursor the client gave (the rows looked at meanwhile matched nothing).
                return TypedResults.Ok(new EventListResponse(items, (items.Count > 0 ? page.Next : position).ToString()));
            }

            // Nothing yet: go on from how far this read looked, so the wait reads only rows it has not seen.
            var progressed = page.Scanned != query.After;
            query = query with { After = page.Scanned };
            await waiter.WaitAsync(progressed, left, null, context.RequestAborted);
        }
    }
}
