using Microsoft.AspNetCore.Http.HttpResults;
using Payments.Api.Problems;
using Payments.Api.Validation;
using Payments.Contracts;
using Payments.Hosting.Security;

namespace Payments.Api.Apis;

/// <summary><c>POST /v1/accounts</c>. Every field is nullable so that a missing one is a validation error, not a default.</summary>
public sealed record CreateAccountBody(
    string? AccountId, string? Region, string? Currency, long? InitialBalance, LimitsBody? Limits);

/// <summary>Limits in minor units; a missing field keeps the region's default (or, in a PATCH, the current value).</summary>
public sealed record LimitsBody(long? PerPayment, long? Daily, long? Weekly, long? Monthly)
{
    public AccountLimits ToLimits() => new(PerPayment, Daily, Weekly, Monthly);
}

/// <summary><c>PATCH /v1/accounts/{accountId}</c>.</summary>
public sealed record UpdateAccountBody(LimitsBody? Limits, AccountStatus? Status);

/// <summary><c>POST /v1/accounts/{accountId}/payments</c>, and the same body for <c>…/authorizations</c>.</summary>
public sealed record PaymentBody(long? Amount, string? Currency, string? Merchant, string? Mcc)
{
    /// <summary>The formats; the region's maximum amount is the account grain's to check.</summary>
    public Errors Check() => new Errors()
        .Check(Amount is > 0, "amount", "Required, a positive number of minor units.")
        .Check(Iso4217.IsCurrency(Currency), "currency", "An ISO 4217 currency code.")
        .Check(FieldRules.IsText(Merchant, FieldRules.MaxMerchantLength), "merchant", "1 to 100 characters, no control characters.")
        .Check(FieldRules.IsMcc(Mcc), "mcc", "Four digits (ISO 18245).");

    /// <summary>400 for a malformed body, 403 for a merchant the key may not <paramref name="what"/> for; null when it may be decided.</summary>
    public ProblemHttpResult? Refusal(HttpContext context, string what) =>
        Check() is { Any: true } errors ? ApiProblems.Validation(errors.Fields) : MerchantScope.Refuse(context, Merchant!, what);
}

/// <summary>
/// <c>POST …/authorizations/{authorizationId}/captures</c>: <c>final</c> releases what is still held; <c>force</c>
/// (the network's key only) posts it whatever the cap.
/// </summary>
public sealed record CaptureBody(long? Amount, bool? Final, bool? Force)
{
    public Errors Check() => new Errors().Check(Amount is > 0, "amount", "Required, a positive number of minor units.");
}

/// <summary><c>POST …/authorizations/{authorizationId}/increments</c>: more money on the hold.</summary>
public sealed record IncrementBody(long? Amount)
{
    public Errors Check() => new Errors().Check(Amount is > 0, "amount", "Required, a positive number of minor units.");
}

/// <summary><c>POST /v1/accounts/{accountId}/refunds</c>: <c>paymentId</c>, optional, names a payment or a capture of the account.</summary>
public sealed record RefundBody(long? Amount, string? Currency, string? Merchant, string? Mcc, string? PaymentId)
{
    public Errors Check() => new PaymentBody(Amount, Currency, Merchant, Mcc).Check()
        .Check(PaymentId is null || FieldRules.IsRecordId(PaymentId), "paymentId", "1 to 128 printable ASCII characters, or absent.");
}

/// <summary><c>POST …/authorizations/{authorizationId}/reversals</c>: without an amount, everything still held.</summary>
public sealed record ReversalBody(long? Amount)
{
    public Errors Check() => new Errors().Check(Amount is null or > 0, "amount", "A positive number of minor units, or absent for all that is held.");
}

/// <summary><c>POST /v1/accounts/{accountId}/deposits</c>.</summary>
public sealed record DepositBody(long? Amount, string? Currency, string? Reference);

/// <summary><c>POST /v1/accounts/{accountId}/advices</c>: a payment or an authorization the network decided at <c>decidedAt</c>.</summary>
public sealed record AdviceBody(
    AdviceKind? Kind, long? Amount, string? Currency, string? Merchant, string? Mcc, DateTimeOffset? DecidedAt, string? NetworkReference)
{
    /// <summary>The formats; whether <c>decidedAt</c> is in the last 30 days is the account grain's to check, on its clock.</summary>
    public Errors Check() => new PaymentBody(Amount, Currency, Merchant, Mcc).Check()
        .Check(Kind is not null, "kind", "Required: payment or authorization.")
        .Check(DecidedAt is not null, "decidedAt", "Required: when the network decided, ISO 8601 with an offset.")
        .Check(NetworkReference is not null && FieldRules.IsIdempotencyKey(NetworkReference), "networkReference",
            "Required: the network's reference of the decision, 1 to 128 printable ASCII characters.");
}

/// <summary>A page of payments, newest first; <c>next</c> is the cursor of the following page.</summary>
public sealed record PaymentListResponse(IReadOnlyList<PaymentRecord> Items, string? Next);

/// <summary>A page of authorizations as of now, newest first; <c>next</c> is the cursor of the following page.</summary>
public sealed record AuthorizationListResponse(IReadOnlyList<AuthorizationRecord> Items, string? Next);

/// <summary><c>POST /v1/api-keys</c>: a terminal key may be scoped to one merchant.</summary>
public sealed record CreateApiKeyBody(string? Name, string? Role, string? Merchant);

/// <summary>An issued key with its secret: the only time the secret is shown.</summary>
public sealed record CreatedApiKey(
    string Id, string Name, string Role, string? Merchant, DateTimeOffset CreatedAt, string CreatedBy, string Key)
{
    public static CreatedApiKey From(ApiKeyView view, string key) =>
        new(view.Id, view.Name, view.Role, view.Merchant, view.CreatedAt, view.CreatedBy, key);
}

/// <summary>The issued keys, newest first.</summary>
public sealed record ApiKeyList(IReadOnlyList<ApiKeyView> Items);
