using System.Collections.Frozen;
using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;
using Payments.Api.Problems;
using Payments.Api.Routing;
using Payments.Api.Validation;
using Payments.Contracts;
using Payments.Hosting.Security;

namespace Payments.Api.Apis;

/// <summary>Authorizations (holds) and what follows them: list and read them, increment, capture and reverse one.</summary>
public static class AuthorizationsApi
{
    public static IEndpointRouteBuilder MapAuthorizationsApi(this IEndpointRouteBuilder app)
    {
        var authorizations = app.MapGroup("/v1/accounts/{accountId}/authorizations").WithTags("Authorizations");
        authorizations.MapPost("/", AuthorizeAsync).WithName("CreateAuthorization")
            .WithSummary("Approve or decline an authorization: a hold on the account's money").RequireAuthorization(Roles.TerminalPolicy)
            .DeduplicatesByIdempotencyKey();
        authorizations.MapGet("/", ListAsync).WithName("ListAuthorizations")
            .WithSummary("An account's authorizations as of now, newest first, by status").RequireAuthorization(Roles.AccountReaderPolicy);
        authorizations.MapGet("/{authorizationId}", GetAsync).WithName("GetAuthorization")
            .WithSummary("One authorization as of now").RequireAuthorization(Roles.AnyRolePolicy);
        authorizations.MapPost("/{authorizationId}/increments", IncrementAsync).WithName("CreateIncrement")
            .WithSummary("More money on a pending authorization's hold").RequireAuthorization(Roles.TerminalPolicy)
            .DeduplicatesByIdempotencyKey();
        authorizations.MapPost("/{authorizationId}/captures", CaptureAsync).WithName("CreateCapture")
            .WithSummary("Capture (clear) part or all of an authorization").RequireAuthorization(Roles.TerminalOrNetworkPolicy)
            .DeduplicatesByIdempotencyKey();
        authorizations.MapPost("/{authorizationId}/reversals", ReverseAsync).WithName("CreateReversal")
            .WithSummary("Give back part or all of what an authorization holds").RequireAuthorization(Roles.TerminalPolicy)
            .DeduplicatesByIdempotencyKey();
        return app;
    }

    public static async Task<Results<Created<AuthorizationRecord>, Ok<AuthorizationRecord>, ProblemHttpResult>> AuthorizeAsync(
        string accountId, PaymentBody body, AccountRouter router, HttpContext context)
    {
        var (key, invalid) = RequestContext.KeyedWrite(context.Request, accountId);
        if ((invalid ?? body.Refusal(context, "authorize payments")) is { } refused)
        {
            return refused;
        }

        var request = new AuthorizationRequest(body.Amount!.Value, body.Currency!, body.Merchant!, body.Mcc!, key);
        var result = await router.CallAccountAsync(accountId, account => account.AuthorizeAsync(request), context);
        return await RecordAnswers.ToHttpAsync(result.Outcome, result.Authorization, result.Errors, accountId, context,
            authorization => Location(accountId, authorization.AuthorizationId));
    }

    public static async Task<Results<Ok<AuthorizationRecord>, ProblemHttpResult>> GetAsync(
        string accountId, string authorizationId, AccountRouter router, HttpContext context)
    {
        if ((RequestContext.CheckAccountId(accountId) ?? CheckAuthorizationId(authorizationId)) is { } invalid)
        {
            return invalid;
        }

        // A merchant-scoped key sees its own merchant's authorizations only; another's reads as absent.
        return await router.CallAccountAsync(accountId, account => account.GetAuthorizationAsync(authorizationId), context) is { } authorization
            && MerchantScope.Allows(context, authorization.Merchant)
            ? TypedResults.Ok(authorization)
            : ApiProblems.AuthorizationNotFound(accountId);
    }

    public static async Task<Results<Ok<AuthorizationListResponse>, ProblemHttpResult>> ListAsync(
        string accountId, AccountRouter router, HttpContext context)
    {
        var (limit, beforeSeq, badPage) = RequestContext.Page(context.Request, PaymentsApi.DefaultPageSize, PaymentsApi.MaxPageSize);
        var (statusText, badStatus) = RequestContext.SingleQuery(context.Request, "status");
        if ((badPage ?? badStatus ?? RequestContext.CheckAccountId(accountId)) is { } invalid)
        {
            return invalid;
        }

        AuthorizationStatus? status = null;
        if (statusText is not null)
        {
            if (!StatusNames.TryGetValue(statusText, out var named))
            {
                return ApiProblems.Validation("status", $"One of {string.Join(", ", StatusNames.Keys)}.");
            }

            status = named;
        }

        var page = await router.CallAccountAsync(accountId, account => account.ListAuthorizationsAsync(status, limit, beforeSeq), context);
        return page is null
            ? ApiProblems.AccountNotFound(accountId)
            : TypedResults.Ok(new AuthorizationListResponse(page.Items, page.NextBeforeSeq?.ToString(CultureInfo.InvariantCulture)));
    }

    public static Task<Results<Created<IncrementRecord>, Ok<IncrementRecord>, ProblemHttpResult>> IncrementAsync(
        string accountId, string authorizationId, IncrementBody body, AccountRouter router, HttpContext context) =>
        OnAuthorizationAsync(accountId, authorizationId, body.Check(), router, context, "increment authorizations",
            async (account, key) =>
            {
                var result = await account.IncrementAsync(new IncrementRequest(authorizationId, body.Amount!.Value, key));
                return (result.Outcome, result.Increment, result.Errors);
            });

    public static async Task<Results<Created<CaptureRecord>, Ok<CaptureRecord>, ProblemHttpResult>> CaptureAsync(
        string accountId, string authorizationId, CaptureBody body, AccountRouter router, HttpContext context)
    {
        // A forced capture is the network's clearing, posted whatever the cap: no terminal may send one.
        if (body.Force == true && !context.User.IsInRole(Roles.Network))
        {
            return ApiProblems.Forbidden("Only the network's key may force a capture.");
        }

        return await OnAuthorizationAsync(accountId, authorizationId, body.Check(), router, context, "capture authorizations",
            async (account, key) =>
            {
                var result = await account.CaptureAsync(
                    new CaptureRequest(authorizationId, body.Amount!.Value, body.Final ?? false, key, body.Force ?? false));
                return (result.Outcome, result.Capture, result.Errors);
            });
    }

    public static Task<Results<Created<ReversalRecord>, Ok<ReversalRecord>, ProblemHttpResult>> ReverseAsync(
        string accountId, string authorizationId, ReversalBody body, AccountRouter router, HttpContext context) =>
        OnAuthorizationAsync(accountId, authorizationId, body.Check(), router, context, "reverse authorizations",
            async (account, key) =>
            {
                var result = await account.ReverseAsync(new ReversalRequest(authorizationId, body.Amount, key));
                return (result.Outcome, result.Reversal, result.Errors);
            });

    /// <summary>
    /// What every write on one authorization does: check the Idempotency-Key, the ids and the body's
    /// <paramref name="errors"/>; refuse a merchant-scoped key another merchant's authorization (403); make the
    /// <paramref name="call"/> through the router; answer its outcome, 201 with the authorization's address.
    /// </summary>
    private static async Task<Results<Created<T>, Ok<T>, ProblemHttpResult>> OnAuthorizationAsync<T>(
        string accountId, string authorizationId, Errors errors, AccountRouter router, HttpContext context, string what,
        Func<IAccountGrain, string?, Task<(RecordOutcome Outcome, T? Record, ValidationErrors? Errors)>> call)
        where T : class
    {
        var (key, invalid) = RequestContext.KeyedWrite(context.Request, accountId);
        if ((invalid ?? CheckAuthorizationId(authorizationId)) is { } refused)
        {
            return refused;
        }

        if (errors.Any)
        {
            return ApiProblems.Validation(errors.Fields);
        }

        // An authorization's merchant never changes, so reading it first and then acting leaves no gap to exploit.
        // One that does not exist goes on to the call, whose answer tells the account's 404 from the authorization's.
        if (ApiKeyIdentity.MerchantOf(context.User) is not null
            && await router.CallAccountAsync(accountId, account => account.GetAuthorizationAsync(authorizationId), context) is { } existing
            && MerchantScope.Refuse(context, existing.Merchant, what) is { } forbidden)
        {
            return forbidden;
        }

        var (outcome, record, refusal) = await router.CallAccountAsync(accountId, account => call(account, key), context);
        return await RecordAnswers.ToHttpAsync(outcome, record, refusal, accountId, context, _ => Location(accountId, authorizationId));
    }

    /// <summary>The statuses a list may be filtered by, as the contract spells them.</summary>
    private static readonly FrozenDictionary<string, AuthorizationStatus> StatusNames = Enum.GetValues<AuthorizationStatus>()
        .ToFrozenDictionary(status => ContractEnumConverter.NameOf(status), StringComparer.Ordinal);

    private static string Location(string accountId, string authorizationId) =>
        $"/v1/accounts/{accountId}/authorizations/{Uri.EscapeDataString(authorizationId)}";

    private static ProblemHttpResult? CheckAuthorizationId(string authorizationId) =>
        FieldRules.IsRecordId(authorizationId) ? null : ApiProblems.Validation("authorizationId", "1 to 128 printable ASCII characters.");
}
