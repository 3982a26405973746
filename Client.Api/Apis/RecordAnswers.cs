using Microsoft.AspNetCore.Http.HttpResults;
using Payments.Api.Problems;
using Payments.Contracts;

namespace Payments.Api.Apis;

/// <summary>How the outcome of a ledger write (a payment or a deposit) is answered over HTTP.</summary>
public static class RecordAnswers
{
    /// <summary>
    /// 201 through <paramref name="created"/> for a new row, 200 with <c>Idempotent-Replayed</c> for a replay, and the
    /// contract's problem for each refusal.
    /// </summary>
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
            default:
                throw new ArgumentOutOfRangeException(nameof(outcome), outcome, "No HTTP answer for this outcome.");
        }
    }
}
