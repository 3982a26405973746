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

    // A scoped key refunds its own merchant's payments only. The API can read a payment's merchant but not a capture's,
    // so a scoped key names payments only; an unscoped key names either.
    private static async Task<ProblemHttpResult?> RefuseScopedPaymentAsync(
        string accountId, string? paymentId, AccountRouter router, HttpContext context)
    {
        if (paymentId is null || ApiKeyIdentity.MerchantOf(context.User) is null)
        {
            return null;
        }

        var payment = await router.CallAccountAsync(accountId, account => account.GetPaymentAsync(paymentId), context);
        return payment is not null && MerchantScope.Allows(context, payment.Merchant)
            ? null
            : ApiProblems.Forbidden("This API key may only refund payments of its own merchant.");
    }
}
