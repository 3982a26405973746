using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http.HttpResults;
using Orleans.Runtime;
using Payments.Api.Hosting;
using Payments.Api.Routing;
using Payments.Contracts;
using Payments.Hosting.Problems;

namespace Payments.Api.Problems;

/// <summary>Turns whatever escaped a handler into a problem; no stack trace or type name ever leaves the API.</summary>
public sealed class ExceptionProblems(ILogger<ExceptionProblems> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken cancellationToken)
    {
        ProblemHttpResult problem = exception switch
        {
            BadHttpRequestException { StatusCode: StatusCodes.Status413PayloadTooLarge } =>
                ApiProblems.PayloadTooLarge(ApiHosting.MaxRequestBodyBytes),
            BadHttpRequestException { StatusCode: StatusCodes.Status415UnsupportedMediaType } =>
                ApiProblems.Create(StatusCodes.Status415UnsupportedMediaType, ProblemCodes.ValidationFailed, "Unsupported media type.",
                    "Send the body as 'Content-Type: application/json'."),
            BadHttpRequestException bad =>
                ApiProblems.Validation("body", Describe(bad)),
            ClusterUnavailableException or TimeoutException or OrleansException or OperationCanceledException or AccountUnavailableException =>
                ApiProblems.Unavailable(context),
            _ => ApiProblems.Create(StatusCodes.Status500InternalServerError, ProblemCodes.InternalError, "Internal error."),
        };
        if (problem.StatusCode == StatusCodes.Status503ServiceUnavailable)
        {
            // Expected while a cluster or the ledger is away, and then by the thousand: one line each, no stack trace.
            logger.LogWarning("{Method} {Path} answered 503: {Error}: {Message}",
                context.Request.Method, context.Request.Path, exception.GetType().Name, exception.Message);
        }
        else if (problem.StatusCode >= 500)
        {
            logger.LogError(exception, "{Method} {Path} answered {Status}", context.Request.Method, context.Request.Path, problem.StatusCode);
        }

        await problem.ExecuteAsync(context);
        return true;
    }

    // The framework's own messages name our parameter types; say what is wrong in the contract's terms instead.
    private static string Describe(BadHttpRequestException bad) => bad switch
    {
        { InnerException: JsonException { Path: { } path } } =>
            $"Malformed JSON at {path}: a wrong type, an unknown or repeated property, a number out of range or nesting too deep.",
        { InnerException: JsonException } => "Malformed JSON.",
        _ => "The request body or its parameters could not be read: send the JSON body this endpoint documents.",
    };
}
