using Microsoft.AspNetCore.Http.HttpResults;
using Payments.Api.Auditing;
using Payments.Api.Problems;
using Payments.Api.Routing;
using Payments.Api.Validation;
using Payments.Contracts;
using Payments.Hosting.Problems;
using Payments.Hosting.Security;

namespace Payments.Api.Apis;

/// <summary>Accounts: open, read, change limits and status.</summary>
public static class AccountsApi
{
    public static IEndpointRouteBuilder MapAccountsApi(this IEndpointRouteBuilder app)
    {
        var accounts = app.MapGroup("/v1/accounts").WithTags("Accounts");
        accounts.MapPost("/", CreateAsync).WithName("CreateAccount").WithSummary("Open an account in its home region")
            .RequireAuthorization(Roles.AdminPolicy);
        accounts.MapGet("/{accountId}", GetAsync).WithName("GetAccount").WithSummary("Balance and ceilings of an account")
            .RequireAuthorization(Roles.AccountReaderPolicy);
        accounts.MapPatch("/{accountId}", UpdateAsync).WithName("UpdateAccount").WithSummary("Change an account's limits or status")
            .RequireAuthorization(Roles.AdminPolicy);
        return app;
    }

    public static async Task<Results<Created<AccountView>, ProblemHttpResult>> CreateAsync(
        CreateAccountBody body, AccountRouter router, HomeRegionDirectory directory, IAdminAudit audit, HttpContext context)
    {
        var errors = new Errors()
            .Check(FieldRules.IsAccountId(body.AccountId), "accountId", "1 to 64 characters of [A-Za-z0-9_-].")
            .Check(FieldRules.IsRegion(body.Region), "region", "Required, 1 to 64 characters of [A-Za-z0-9_-].")
            .Check(Iso4217.IsCurrency(body.Currency), "currency", "An ISO 4217 currency code.")
            .Check(body.InitialBalance is >= 0, "initialBalance", "Required, zero or more minor units.");
        CheckLimits(errors, body.Limits);
        if (errors.Any)
        {
            return ApiProblems.Validation(errors.Fields);
        }

        // Opened in the account's home region when that cluster takes traffic. Not repeated elsewhere: a first attempt
        // that did open the account would turn the retry into a 409.
        var request = new OpenAccountRequest(body.Region!, body.Currency!, body.InitialBalance!.Value, body.Limits?.ToLimits() ?? AccountLimits.None);
        var result = await router.CallAsync(body.Region!, grains => grains.GetGrain<IAccountGrain>(body.AccountId!).OpenAsync(request), context);
        if (result.Outcome == OpenOutcome.Created)
        {
            directory.Remember(body.AccountId!, body.Region!);
            await audit.RecordAsync(new(ApiKeyIdentity.NameOf(context.User), AdminActions.AccountCreated,
                AdminActions.Account(body.AccountId!), null, result.Account), CancellationToken.None);
        }

        return result.Outcome switch
        {
            OpenOutcome.Created => TypedResults.Created($"/v1/accounts/{body.AccountId}", result.Account),
            OpenOutcome.AlreadyExists => ApiProblems.Create(StatusCodes.Status409Conflict, ProblemCodes.AccountExists,
                "Account exists.", $"The account id '{body.AccountId}' is taken."),
            OpenOutcome.UnknownRegion => ApiProblems.Create(StatusCodes.Status404NotFound, ProblemCodes.UnknownRegion,
                "Unknown region.", $"No region '{body.Region}'."),
            OpenOutcome.Invalid => ApiProblems.Validation(result.Errors),
            _ => ApiProblems.Unavailable(context),
        };
    }

    public static async Task<Results<Ok<AccountView>, ProblemHttpResult>> GetAsync(
        string accountId, AccountRouter router, HttpContext context)
    {
        if (RequestContext.CheckAccountId(accountId) is { } invalid)
        {
            return invalid;
        }

        return await router.CallAccountAsync(accountId, account => account.GetViewAsync(), context) is { } view
            ? TypedResults.Ok(view)
            : ApiProblems.AccountNotFound(accountId);
    }

    public static async Task<Results<Ok<AccountView>, ProblemHttpResult>> UpdateAsync(
        string accountId, UpdateAccountBody body, AccountRouter router, IAdminAudit audit, HttpContext context)
    {
        var errors = new Errors().Check(body.Limits is not null || body.Status is not null, "body", "Set limits and/or status.");
        CheckLimits(errors, body.Limits);
        if (RequestContext.CheckAccountId(accountId) is { } invalid)
        {
            return invalid;
        }

        if (errors.Any)
        {
            return ApiProblems.Validation(errors.Fields);
        }

        // "before" is the view read just before the change: admin changes to one account are rare enough not to race.
        // A settings change has no Idempotency-Key: it is not repeated on another cluster.
        var before = await router.CallAccountAsync(accountId, account => account.GetViewAsync(), context);
        var update = new AccountUpdate(body.Limits?.ToLimits(), body.Status);
        var result = await router.CallAccountAsync(accountId, account => account.UpdateAsync(update), context);
        if (result.Outcome == UpdateOutcome.Updated)
        {
            await audit.RecordAsync(new(ApiKeyIdentity.NameOf(context.User), AdminActions.AccountUpdated,
                AdminActions.Account(accountId), before, result.Account), CancellationToken.None);
        }

        return result.Outcome switch
        {
            UpdateOutcome.Updated => TypedResults.Ok(result.Account),
            UpdateOutcome.NotFound => ApiProblems.AccountNotFound(accountId),
            UpdateOutcome.Invalid => ApiProblems.Validation(result.Errors),
            _ => ApiProblems.Unavailable(context),
        };
    }

    private static void CheckLimits(Errors errors, LimitsBody? limits)
    {
        if (limits is null)
        {
            return;
        }

        errors.Check(limits.PerPayment is null or > 0, "limits.perPayment", "A positive number of minor units.")
            .Check(limits.Daily is null or > 0, "limits.daily", "A positive number of minor units.")
            .Check(limits.Weekly is null or > 0, "limits.weekly", "A positive number of minor units.")
            .Check(limits.Monthly is null or > 0, "limits.monthly", "A positive number of minor units.");
    }
}
