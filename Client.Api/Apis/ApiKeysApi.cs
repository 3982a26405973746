using Microsoft.AspNetCore.Http.HttpResults;
using Payments.Api.Problems;
using Payments.Api.Security;
using Payments.Hosting.Problems;
using Payments.Hosting.Security;

namespace Payments.Api.Apis;

/// <summary>API keys, issued and revoked by the back office. A key is shown once, when it is issued.</summary>
public static class ApiKeysApi
{
    public static IEndpointRouteBuilder MapApiKeysApi(this IEndpointRouteBuilder app)
    {
        var keys = app.MapGroup("/v1/api-keys").WithTags("API keys").RequireAuthorization(Roles.AdminPolicy);
        keys.MapPost("/", CreateAsync).WithName("CreateApiKey").WithSummary("Issue an API key; the key is in this answer only");
        keys.MapGet("/", ListAsync).WithName("ListApiKeys").WithSummary("Every issued key, revoked ones included, without secrets");
        keys.MapDelete("/{id}", RevokeAsync).WithName("RevokeApiKey").WithSummary("Revoke a key: refused everywhere within seconds");
        return app;
    }

    public static async Task<Results<Created<CreatedApiKey>, ProblemHttpResult>> CreateAsync(
        CreateApiKeyBody body, ApiKeyAdmin admin, HttpContext context)
    {
        var errors = ApiKeyAdmin.Check(body.Name, body.Role, body.Merchant);
        if (errors.Any)
        {
            return ApiProblems.Validation(errors.Fields);
        }

        var created = await admin.CreateAsync(body.Name!, body.Role!, body.Merchant, ApiKeyIdentity.NameOf(context.User), context.RequestAborted);
        if (created is not var (key, secret))
        {
            return ApiProblems.Create(StatusCodes.Status409Conflict, ProblemCodes.ApiKeyExists, "API key name taken.",
                $"An active key is named '{body.Name}'. Revoke it first or choose another name.");
        }

        return TypedResults.Created($"/v1/api-keys/{key.Id}", CreatedApiKey.From(key.View(), secret));
    }

    public static async Task<Ok<ApiKeyList>> ListAsync(ApiKeyAdmin admin, HttpContext context) =>
        TypedResults.Ok(new ApiKeyList([.. (await admin.ListAsync(context.RequestAborted)).Select(k => k.View())]));

    public static async Task<Results<NoContent, ProblemHttpResult>> RevokeAsync(string id, ApiKeyAdmin admin, HttpContext context)
    {
        if (!ApiKeyFormat.IsId(id))
        {
            return ApiProblems.Validation("id", $"{ApiKeyFormat.IdLength} lowercase hexadecimal digits, as issued.");
        }

        return await admin.RevokeAsync(id, ApiKeyIdentity.NameOf(context.User), context.RequestAborted) is null
            ? ApiProblems.Create(StatusCodes.Status404NotFound, ProblemCodes.ApiKeyNotFound, "API key not found.", $"No API key '{id}'.")
            : TypedResults.NoContent();
    }
}
