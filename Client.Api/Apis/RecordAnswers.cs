using Microsoft.AspNetCore.Http.HttpResults;
using Payments.Api.Problems;
using Payments.Contracts;
using Payments.Hosting.Problems;

namespace Payments.Api.Apis;

/// <summary>How the outcome of a ledger write (a payment, a deposit, an authorization and what follows it) is answered over HTTP.</summary>
public static class RecordAnswers
{
    /// <summary>
    /// 201 through <paramref name="created"/> for a new row, 200 with <c>Idempotent-Replayed</c> for a replay, and the
    /// contract's problem for each refusal.
    /// </summary>
    /// <summary>As the other overload, the 201 carrying <paramref name="location"/> of the new record.</summary>
    public static Task<Results<Created<T>, Ok<T>, ProblemHttpResult>> ToHttpAsync<T>(
        RecordOutcome outcome, T? record, ValidationErrors? errors, string accountId, HttpContext context, Func<T, string> location)
        where T : class =>
        ToHttpAsync(outcome, record, errors, accountId, context, created => Task.FromResult(TypedResults.Created(location(created), created)));

    public static async Task<Results<Created<T>, Ok<T>, ProblemHttpResult>> ToHttpAsync<T>(
        RecordOutcome outcome, T? record, ValidationErrors? errors, string accountId, HttpContext context,
        Func<T, Task<Created<T>>> created)
        where T : class
    {
        switch (outcome)
        {
            case RecordOutcome.Created:
                return await created(record!);
            case RecordOutcome.Replayed:
                RequestContext.MarkReplayed(context.Response);
                return TypedResults.Ok(record);
            case RecordOutcome.NotFound:
                return ApiProblems.AccountNotFound(accountId);
            case RecordOutcome.KeyReused:
                return ApiProblems.KeyReused();
            case RecordOutcome.Invalid:
                return ApiProblems.Validation(errors);
            case RecordOutcome.Unavailable:
            case RecordOutcome.Overloaded:
                return ApiProblems.Unavailable(context);
            case RecordOutcome.AuthorizationNotFound:
                return ApiProblems.AuthorizationNotFound(accountId);
            case RecordOutcome.AuthorizationNotPending:
                return ApiProblems.Create(StatusCodes.Status409Conflict, ProblemCodes.AuthorizationNotPending,
                    "Authorization not pending.", "The authorization is closed, reversed, expired or declined: nothing was recorded.");
            case RecordOutcome.CaptureExceedsAuthorization:
                return ApiProblems.Create(StatusCodes.Status422UnprocessableEntity, ProblemCodes.CaptureExceedsAuthorization,
                    "Capture exceeds the authorization.",
                    "The captures would total more than the authorization's cap (what was authorized plus the region's over-capture tolerance): nothing was recorded.");
            case RecordOutcome.ReversalExceedsHold:
                return ApiProblems.Create(StatusCodes.Status422UnprocessableEntity, ProblemCodes.ReversalExceedsHold,
                    "Reversal exceeds the hold.", "The authorization holds less than the reversal's amount: nothing was recorded.");
            case RecordOutcome.RefundExceedsPayment:
                return ApiProblems.Create(StatusCodes.Status422UnprocessableEntity, ProblemCodes.RefundExceedsPayment,
                    "Refund exceeds the payment.", "The refunds of this payment or capture would total more than it: nothing was recorded.");
            case RecordOutcome.PaymentNotFound:
                return ApiProblems.Create(StatusCodes.Status404NotFound, ProblemCodes.PaymentNotFound, "Payment not found.",
                    $"Account '{accountId}' has no payment or capture with this id.");
            default:
                throw new ArgumentOutOfRangeException(nameof(outcome), outcome, "No HTTP answer for this outcome.");
        }
    }
}
