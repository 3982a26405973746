using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;
using Payments.Api.Auditing;
using Payments.Api.Problems;
using Payments.Api.Routing;
using Payments.Api.Validation;
using Payments.Contracts;
using Payments.Hosting.Problems;
using Payments.Hosting.Security;

namespace Payments.Api.Apis;

/// <summary>Webhook endpoints: register, list, change, remove, and their delivery attempts (docs/events.md).</summary>
public static class WebhookEndpointsApi
{
    private const int DefaultPageSize = 50;
    private const int MaxPageSize = 200;
    private const int MaxTypes = 20;
    private const int MaxDescriptionLength = 200;

    public static IEndpointRouteBuilder MapWebhookEndpointsApi(this IEndpointRouteBuilder app)
    {
        var endpoints = app.MapGroup("/v1/webhook-endpoints").WithTags("Webhooks").RequireAuthorization(Roles.AdminPolicy);
        endpoints.MapPost("/", CreateAsync).WithName("CreateWebhookEndpoint")
            .WithSummary("Register an endpoint for the events committed from now on; the answer shows its secret once");
        endpoints.MapGet("/", ListAsync).WithName("ListWebhookEndpoints").WithSummary("Every webhook endpoint");
        endpoints.MapGet("/{endpointId}", GetAsync).WithName("GetWebhookEndpoint").WithSummary("One webhook endpoint");
        endpoints.MapPatch("/{endpointId}", UpdateAsync).WithName("UpdateWebhookEndpoint")
            .WithSummary("Change an endpoint's url, types, description or status (enabled re-enables a disabled one)");
        endpoints.MapDelete("/{endpointId}", DeleteAsync).WithName("DeleteWebhookEndpoint").WithSummary("Remove an endpoint");
        endpoints.MapGet("/{endpointId}/deliveries", ListDeliveriesAsync).WithName("ListWebhookDeliveries")
            .WithSummary("An endpoint's delivery attempts, newest first");
        endpoints.MapPost("/{endpointId}/deliveries/{deliveryId}/retry", RetryAsync).WithName("RetryWebhookDelivery")
            .WithSummary("Send the event of an attempt again now, once");
        return app;
    }

    public static async Task<Results<Created<CreatedWebhookEndpoint>, ProblemHttpResult>> CreateAsync(
        CreateWebhookEndpointBody body, AccountRouter router, ApiRegion region, IAdminAudit audit, HttpContext context)
    {
        var errors = Check(new Errors().Check(body.Url is not null, "url", "Required: an https URL."), body.Types, body.Description)
            .Check(body.Types is not null, "types", "Required: the event types to deliver.");
        if (errors.Any)
        {
            return ApiProblems.Validation(errors.Fields);
        }

        var result = await router.CallAsync(region.Name,
            grains => Endpoints(grains).CreateAsync(new NewWebhookEndpoint(body.Url!, body.Types!, body.Description ?? "")),
            Retry.Never, context.RequestAborted);
        if (result.Outcome == WebhookOutcome.Done)
        {
            // The view, never the secret.
            await AuditAsync(audit, context, AdminActions.WebhookEndpointCreated, result.Endpoint!.Id, null, result.Endpoint);
        }

        return result.Outcome switch
        {
            WebhookOutcome.Done => TypedResults.Created($"/v1/webhook-endpoints/{result.Endpoint!.Id}",
                CreatedWebhookEndpoint.From(result.Endpoint, result.Secret!)),
            _ => Problem(result.Outcome, result.Errors, "", context),
        };
    }

    public static async Task<Results<Ok<WebhookEndpointListResponse>, ProblemHttpResult>> ListAsync(
        AccountRouter router, ApiRegion region, HttpContext context)
    {
        var list = await router.CallAsync(region.Name, grains => Endpoints(grains).ListAsync(), Retry.OnAnotherCluster, context.RequestAborted);
        return list.Outcome == WebhookOutcome.Done
            ? TypedResults.Ok(new WebhookEndpointListResponse(list.Items))
            : Problem(list.Outcome, null, "", context);
    }

    public static async Task<Results<Ok<WebhookEndpointView>, ProblemHttpResult>> GetAsync(
        string endpointId, AccountRouter router, ApiRegion region, HttpContext context)
    {
        var result = await router.CallAsync(region.Name, grains => Endpoints(grains).GetAsync(endpointId), Retry.OnAnotherCluster,
            context.RequestAborted);
        return result.Outcome == WebhookOutcome.Done ? TypedResults.Ok(result.Endpoint!) : Problem(result.Outcome, null, endpointId, context);
    }

    public static async Task<Results<Ok<WebhookEndpointView>, ProblemHttpResult>> UpdateAsync(
        string endpointId, UpdateWebhookEndpointBody body, AccountRouter router, ApiRegion region, IAdminAudit audit, HttpContext context)
    {
        var errors = Check(new Errors(), body.Types, body.Description)
            .Check(body.Url is not null || body.Types is not null || body.Description is not null || body.Status is not null,
                "body", "Set url, types, description and/or status.");
        if (errors.Any)
        {
            return ApiProblems.Validation(errors.Fields);
        }

        var change = new WebhookEndpointChange(body.Url, body.Types, body.Description, body.Status);
        var before = await BeforeAsync(endpointId, router, region, context);
        var result = await router.CallAsync(region.Name, grains => Endpoints(grains).UpdateAsync(endpointId, change), Retry.OnAnotherCluster,
            context.RequestAborted);
        if (result.Outcome == WebhookOutcome.Done)
        {
            await AuditAsync(audit, context, AdminActions.WebhookEndpointUpdated, endpointId, before, result.Endpoint);
        }

        return result.Outcome == WebhookOutcome.Done
            ? TypedResults.Ok(result.Endpoint!)
            : Problem(result.Outcome, result.Errors, endpointId, context);
    }

    public static async Task<Results<NoContent, ProblemHttpResult>> DeleteAsync(
        string endpointId, AccountRouter router, ApiRegion region, IAdminAudit audit, HttpContext context)
    {
        var before = await BeforeAsync(endpointId, router, region, context);
        var outcome = await router.CallAsync(region.Name, grains => Endpoints(grains).DeleteAsync(endpointId), Retry.Never, context.RequestAborted);
        if (outcome == WebhookOutcome.Done)
        {
            await AuditAsync(audit, context, AdminActions.WebhookEndpointDeleted, endpointId, before, null);
        }

        return outcome == WebhookOutcome.Done ? TypedResults.NoContent() : Problem(outcome, null, endpointId, context);
    }

    public static async Task<Results<Ok<DeliveryListResponse>, ProblemHttpResult>> ListDeliveriesAsync(
        string endpointId, int? limit, long? before, AccountRouter router, ApiRegion region, HttpContext context)
    {
        var errors = new Errors()
            .Check(limit is null or >= 1 and <= MaxPageSize, "limit", $"Between 1 and {MaxPageSize}.")
            .Check(before is null or > 0, "before", "A cursor returned as 'next' by a previous page.");
        if (errors.Any)
        {
            return ApiProblems.Validation(errors.Fields);
        }

        var page = await router.CallAsync(region.Name,
            grains => Endpoints(grains).ListDeliveriesAsync(endpointId, limit ?? DefaultPageSize, before), Retry.OnAnotherCluster,
            context.RequestAborted);
        return page.Outcome == WebhookOutcome.Done
            ? TypedResults.Ok(new DeliveryListResponse(page.Items, page.NextBefore?.ToString(CultureInfo.InvariantCulture)))
            : Problem(page.Outcome, null, endpointId, context);
    }

    public static async Task<Results<Ok<DeliveryAttempt>, ProblemHttpResult>> RetryAsync(
        string endpointId, string deliveryId, AccountRouter router, ApiRegion region, IAdminAudit audit, HttpContext context)
    {
        if (!long.TryParse(deliveryId, NumberStyles.None, CultureInfo.InvariantCulture, out var attemptId))
        {
            return Problem(WebhookOutcome.DeliveryNotFound, null, endpointId, context);
        }

        var result = await router.CallAsync(region.Name, grains => Endpoints(grains).RetryAsync(endpointId, attemptId), Retry.Never,
            context.RequestAborted);
        if (result.Outcome == WebhookOutcome.Done)
        {
            await AuditAsync(audit, context, AdminActions.WebhookDeliveryRetried, endpointId, new RetriedDelivery(deliveryId), result.Attempt);
        }

        return result.Outcome == WebhookOutcome.Done ? TypedResults.Ok(result.Attempt!) : Problem(result.Outcome, null, endpointId, context);
    }

    private static IWebhookEndpointsGrain Endpoints(IGrainFactory grains) => grains.GetGrain<IWebhookEndpointsGrain>(0);

    /// <summary>The endpoint as it is before a change, for the audit; changes to one endpoint are rare enough not to race.</summary>
    private static async Task<WebhookEndpointView?> BeforeAsync(string endpointId, AccountRouter router, ApiRegion region, HttpContext context) =>
        (await router.CallAsync(region.Name, grains => Endpoints(grains).GetAsync(endpointId), Retry.OnAnotherCluster, context.RequestAborted)).Endpoint;

    private static Task AuditAsync(IAdminAudit audit, HttpContext context, string action, string endpointId, object? before, object? after) =>
        audit.RecordAsync(new(ApiKeyIdentity.NameOf(context.User), action, AdminActions.WebhookEndpoint(endpointId), before, after),
            CancellationToken.None);

    /// <summary>The audit's "before" of a retry: which attempt's event was sent again.</summary>
    private sealed record RetriedDelivery(string DeliveryId);

    private static Errors Check(Errors errors, IReadOnlyList<string>? types, string? description) => errors
        .Check(types is null || (types.Count is >= 1 and <= MaxTypes && types.All(EventTypeFilter.IsValid)), "types",
            $"1 to {MaxTypes} event types of the contract, or prefixes of them ending in '.*' (payment.*).")
        .Check(description is null || description.Length == 0 || FieldRules.IsText(description, MaxDescriptionLength), "description",
            $"At most {MaxDescriptionLength} characters, no control characters.");

    private static ProblemHttpResult Problem(WebhookOutcome outcome, ValidationErrors? errors, string endpointId, HttpContext context) => outcome switch
    {
        WebhookOutcome.EndpointNotFound => ApiProblems.Create(StatusCodes.Status404NotFound, ProblemCodes.WebhookEndpointNotFound,
            "Webhook endpoint not found.", $"No webhook endpoint '{endpointId}'."),
        WebhookOutcome.DeliveryNotFound => ApiProblems.Create(StatusCodes.Status404NotFound, ProblemCodes.DeliveryNotFound,
            "Delivery not found.", $"No such delivery of webhook endpoint '{endpointId}'."),
        WebhookOutcome.Invalid => ApiProblems.Validation(errors),
        // The contract's code: the silo that answered has no PostgreSQL or no secret key (a deployment not set up for
        // webhooks, or a silo started without its key); another silo, or this one once configured, may answer.
        WebhookOutcome.Unavailable => ApiProblems.Unavailable(context,
            "Webhooks are not available: the silo has no PostgreSQL or no webhook secret key (Payments:Webhooks:SecretKey)."),
        _ => throw new InvalidOperationException($"Outcome {outcome} is not a problem."),
    };
}
