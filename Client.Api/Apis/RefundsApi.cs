using Microsoft.AspNetCore.Http.HttpResults;
using Payments.Api.Problems;
using Payments.Api.Routing;
using Payments.Contracts;
using Payments.Hosting.Security;

namespace Payments.Api.Apis;

/// <summary>Refunds: money a merchant gives back, for one of the account's payments or captures, or for none.</summary>
public static class RefundsApi
{
    public static IEndpointRouteBuilder MapRefundsApi(this IEndpointRouteBuilder app)
    {
        app.MapPost("/v1/accounts/{accountId}/refunds", RefundAsync).WithTags("Refunds").WithName("CreateRefund")
            .WithSummary("Credit money a merchant gives back").RequireAuthorization(Roles.TerminalPolicy).DeduplicatesByIdempotencyKey();
        return app;
    }

    public static async Task<Results<Created<RefundRecord>, Ok<RefundRecord>, ProblemHttpResult>> RefundAsync(
        string accountId, RefundBody body, AccountRouter router, HttpContext context)
    {
        var (key, invalid) = RequestContext.KeyedWrite(context.Request, accountId);
        if (invalid is not null)
        {
            return invalid;
        }

        if (body.Check() is { Any: true } errors)
        {
            return ApiProblems.Validation(errors.Fields);
        }

        if ((MerchantScope.Refuse(context, body.Merchant!, "refund payments")
            ?? await RefuseScopedPaymentAsync(accountId, body.PaymentId, router, context)) is { } forbidden)
        {
            return forbidden;
        }

        var request = new RefundRequest(body.Amount!.Value, body.Currency!, body.Merchant!, body.Mcc!, body.PaymentId, key);
        var result = await router.CallAccountAsync(accountId, account => account.RefundAsync(request), context);
        return await RecordAnswers.ToHttpAsync(result.Outcome, result.Refund, result.Errors, accountId, context, _ => $"/v1/accounts/{accountId}");
    }

    // A scoped key refunds its own merchant's payments and captures only (a capture's merchant is its authorization's).
    // One the account does not have goes on to the call, which answers the contract's 404.
    private static async Task<ProblemHttpResult?> RefuseScopedPaymentAsync(
        string accountId, string? paymentId, AccountRouter router, HttpContext context)
    {
        if (paymentId is null || ApiKeyIdentity.MerchantOf(context.User) is null)
        {
            return null;
        }

        var merchant = await router.CallAccountAsync(accountId, account => account.GetRefundMerchantAsync(paymentId), context);
        return merchant is null ? null : MerchantScope.Refuse(context, merchant, "refund payments and captures");
    }
}
