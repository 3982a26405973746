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

/// <summary><c>POST /v1/accounts/{accountId}/payments</c>.</summary>
public sealed record PaymentBody(long? Amount, string? Currency, string? Merchant, string? Mcc);

/// <summary><c>POST /v1/accounts/{accountId}/deposits</c>.</summary>
public sealed record DepositBody(long? Amount, string? Currency, string? Reference);

/// <summary>A page of payments, newest first; <c>next</c> is the cursor of the following page.</summary>
public sealed record PaymentListResponse(IReadOnlyList<PaymentRecord> Items, string? Next);

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
