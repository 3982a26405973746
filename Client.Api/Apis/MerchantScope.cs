using Microsoft.AspNetCore.Http.HttpResults;
using Payments.Api.Problems;
using Payments.Hosting.Security;

namespace Payments.Api.Apis;

/// <summary>
/// A terminal key scoped to a merchant acts for that merchant only: it submits, increments, captures, reverses and
/// refunds that merchant's payments and authorizations, and reads only those. An unscoped key acts for any merchant.
/// </summary>
public static class MerchantScope
{
    /// <summary>True when the request's key may act for <paramref name="merchant"/> (compared exactly, as stored).</summary>
    public static bool Allows(HttpContext context, string merchant) =>
        ApiKeyIdentity.MerchantOf(context.User) is not { } scope || string.Equals(scope, merchant, StringComparison.Ordinal);

    /// <summary>403 unless the request's key may act for <paramref name="merchant"/>.</summary>
    public static ProblemHttpResult? Refuse(HttpContext context, string merchant, string what) =>
        Allows(context, merchant) ? null : ApiProblems.Forbidden($"This API key may only {what} of its own merchant.");
}
