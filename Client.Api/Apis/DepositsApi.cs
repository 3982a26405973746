using Microsoft.AspNetCore.Http.HttpResults;
using Payments.Api.Auditing;
using Payments.Api.Problems;
using Payments.Api.Routing;
using Payments.Api.Validation;
using Payments.Contracts;
using Payments.Hosting.Security;

namespace Payments.Api.Apis;

/// <summary>Deposits (credits), by the bank's back office.</summary>
public static class DepositsApi
{
    public static IEndpointRouteBuilder MapDepositsApi(this IEndpointRouteBuilder app)
    {
        app.MapPost("/v1/accounts/{accountId}/deposits", DepositAsync).WithTags("Deposits").WithName("CreateDeposit")
            .WithSummary("Credit an account").RequireAuthorization(Roles.AdminPolicy).DeduplicatesByIdempotencyKey();
        return app;
    }

    public static async Task<Results<Created<DepositRecord>, Ok<DepositRecord>, ProblemHttpResult>> DepositAsync(
        string accountId, DepositBody body, AccountRouter router, IAdminAudit audit, HttpContext context)
    {
        var (key, invalid) = RequestContext.KeyedWrite(context.Request, accountId);
        if (invalid is not null)
        {
            return invalid;
        }

        var errors = new Errors()
            .Check(body.Amount is > 0, "amount", "Required, a positive number of minor units.")
            .Check(Iso4217.IsCurrency(body.Currency), "currency", "An ISO 4217 currency code.")
            .Check(FieldRules.IsText(body.Reference, FieldRules.MaxReferenceLength), "reference", "1 to 140 characters, no control characters.");
        if (errors.Any)
        {
            return ApiProblems.Validation(errors.Fields);
        }

        var request = new DepositRequest(body.Amount!.Value, body.Currency!, body.Reference!, key);
        var result = await router.CallAccountAsync(accountId, account => account.DepositAsync(request), context);
        return await RecordAnswers.ToHttpAsync(result.Outcome, result.Deposit, result.Errors, accountId, context, async deposit =>
        {
            // Deposits create money: who made each one is on record beside the ledger row.
            await audit.RecordAsync(new(ApiKeyIdentity.NameOf(context.User), AdminActions.DepositCreated,
                AdminActions.Account(accountId), null, deposit), CancellationToken.None);
            return TypedResults.Created($"/v1/accounts/{accountId}", deposit);
        });
    }
}
