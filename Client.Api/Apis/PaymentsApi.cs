using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Payments.Api.Problems;
using Payments.Api.Routing;
using Payments.Api.Validation;
using Payments.Contracts;
using Payments.Hosting.Problems;
using Payments.Hosting.Security;

namespace Payments.Api.Apis;

/// <summary>Payments (debits): decide one, list an account's, read one.</summary>
public static class PaymentsApi
{
    public const int DefaultPageSize = 50;
    public const int MaxPageSize = 200;

    public static IEndpointRouteBuilder MapPaymentsApi(this IEndpointRouteBuilder app)
    {
        var payments = app.MapGroup("/v1").WithTags("Payments");
        payments.MapPost("/accounts/{accountId}/payments", PayAsync).WithName("CreatePayment")
            .WithSummary("Approve or decline a card payment").RequireAuthorization(Roles.TerminalPolicy)
            .DeduplicatesByIdempotencyKey();
        payments.MapGet("/accounts/{accountId}/payments", ListAsync).WithName("ListPayments")
            .WithSummary("An account's payments, newest first").RequireAuthorization(Roles.AccountReaderPolicy);
        payments.MapGet("/payments/{paymentId}", GetAsync).WithName("GetPayment")
            .WithSummary("One payment").RequireAuthorization(Roles.AnyRolePolicy);
        return app;
    }

    public static async Task<Results<Created<PaymentRecord>, Ok<PaymentRecord>, ProblemHttpResult>> PayAsync(
        string accountId, PaymentBody body, AccountRouter router, HttpContext context)
    {
        var (key, invalid) = RequestContext.KeyedWrite(context.Request, accountId);
        if ((invalid ?? body.Refusal(context, "submit payments")) is { } refused)
        {
            return refused;
        }

        var request = new PaymentRequest(body.Amount!.Value, body.Currency!, body.Merchant!, body.Mcc!, key);
        var result = await router.CallAccountAsync(accountId, account => account.PayAsync(request), context);
        return await RecordAnswers.ToHttpAsync(result.Outcome, result.Payment, result.Errors, accountId, context,
            payment => $"/v1/payments/{Uri.EscapeDataString(payment.PaymentId)}?accountId={accountId}");
    }

    public static async Task<Results<Ok<PaymentListResponse>, ProblemHttpResult>> ListAsync(
        string accountId, AccountRouter router, HttpContext context)
    {
        var (pageSize, beforeSeq, badPage) = RequestContext.Page(context.Request, DefaultPageSize, MaxPageSize);
        if ((badPage ?? RequestContext.CheckAccountId(accountId)) is { } invalid)
        {
            return invalid;
        }

        var page = await router.CallAccountAsync(accountId, account => account.ListPaymentsAsync(pageSize, beforeSeq), context);
        return page is null
            ? ApiProblems.AccountNotFound(accountId)
            : TypedResults.Ok(new PaymentListResponse(page.Items, page.NextBeforeSeq?.ToString(CultureInfo.InvariantCulture)));
    }

    public static async Task<Results<Ok<PaymentRecord>, ProblemHttpResult>> GetAsync(
        string paymentId, [FromQuery] string? accountId, AccountRouter router, HttpContext context)
    {
        if (accountId is null || RequestContext.CheckAccountId(accountId) is not null)
        {
            return ApiProblems.Validation("accountId", "Required: the account the payment belongs to.");
        }

        if (!FieldRules.IsRecordId(paymentId))
        {
            return ApiProblems.Validation("paymentId", "1 to 128 printable ASCII characters.");
        }

        // A merchant-scoped key sees its own merchant's payments only; another's reads as absent.
        return await router.CallAccountAsync(accountId, account => account.GetPaymentAsync(paymentId), context) is { } payment
            && MerchantScope.Allows(context, payment.Merchant)
            ? TypedResults.Ok(payment)
            : ApiProblems.PaymentNotFound(accountId, paymentId);
    }
}
