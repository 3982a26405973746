using Microsoft.AspNetCore.Http.HttpResults;
using Payments.Api.Problems;
using Payments.Api.Routing;
using Payments.Contracts;
using Payments.Hosting.Security;

namespace Payments.Api.Apis;

/// <summary>
/// Advices: what the card network decided on the bank's behalf (stand-in processing while the bank could not answer),
/// recorded as it is. The network's reference dedupes them: a resend answers the first.
/// </summary>
public static class AdvicesApi
{
    public static IEndpointRouteBuilder MapAdvicesApi(this IEndpointRouteBuilder app)
    {
        // Deduplicated by the network's reference, not by an Idempotency-Key: not repeated on another cluster by the
        // API (a call that did not reach its cluster is a 503), the network resends the advice.
        app.MapPost("/v1/accounts/{accountId}/advices", AdviseAsync).WithTags("Advices").WithName("CreateAdvice")
            .WithSummary("Record a payment or an authorization the network decided").RequireAuthorization(Roles.NetworkPolicy);
        return app;
    }

    public static async Task<Results<Created<AuthorizationRecord>, Ok<AuthorizationRecord>, Created<PaymentRecord>, Ok<PaymentRecord>, ProblemHttpResult>> AdviseAsync(
        string accountId, AdviceBody body, AccountRouter router, HttpContext context)
    {
        if (RequestContext.CheckAccountId(accountId) is { } invalid)
        {
            return invalid;
        }

        if (body.Check() is { Any: true } errors)
        {
            return ApiProblems.Validation(errors.Fields);
        }

        var request = new AdviceRequest(body.Kind!.Value, body.Amount!.Value, body.Currency!, body.Merchant!, body.Mcc!,
            body.DecidedAt!.Value, body.NetworkReference!);
        var result = await router.CallAccountAsync(accountId, account => account.AdviseAsync(request), context);
        return result.Authorization is { } authorization
            ? Widen(await RecordAnswers.ToHttpAsync(result.Outcome, authorization, result.Errors, accountId, context,
                a => $"/v1/accounts/{accountId}/authorizations/{Uri.EscapeDataString(a.AuthorizationId)}"))
            : Widen(await RecordAnswers.ToHttpAsync(result.Outcome, result.Payment, result.Errors, accountId, context,
                p => $"/v1/payments/{Uri.EscapeDataString(p.PaymentId)}?accountId={accountId}"));
    }

    // The OpenAPI document shows the last body type of a status (a payment advice); docs/api.md says both.
    private static Results<Created<AuthorizationRecord>, Ok<AuthorizationRecord>, Created<PaymentRecord>, Ok<PaymentRecord>, ProblemHttpResult> Widen<T>(
        Results<Created<T>, Ok<T>, ProblemHttpResult> answer)
        where T : class => answer.Result switch
        {
            Created<PaymentRecord> created => created,
            Ok<PaymentRecord> replayed => replayed,
            Created<AuthorizationRecord> created => created,
            Ok<AuthorizationRecord> replayed => replayed,
            ProblemHttpResult problem => problem,
            _ => throw new InvalidOperationException($"No advice answer of {answer.Result.GetType().Name}."),
        };
}
