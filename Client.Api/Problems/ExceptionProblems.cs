using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http.HttpResults;
using Orleans.Runtime;
using Payments.Contracts;

namespace Payments.Api.Problems;

/// <summary>Turns whatever escaped a handler into a problem; no stack trace ever leaves the API.</summary>
public sealed class ExceptionProblems(ILogger<ExceptionProblems> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken cancellationToken)
    {
        ProblemHttpResult problem = exception switch
        {
            BadHttpRequestException { StatusCode: StatusCodes.Status413PayloadTooLarge } =>
                ApiProblems.Create(StatusCodes.Status413PayloadTooLarge, ProblemCodes.PayloadTooLarge, "Payload too large."),
            BadHttpRequestException bad =>
                ApiProblems.Validation("body", Describe(bad)),
            TimeoutException or OrleansException or OperationCanceledException or AccountUnavailableException =>
                ApiProblems.Unavailable(context),
            _ => ApiProblems.Create(StatusCodes.Status500InternalServerError, ProblemCodes.InternalError, "Internal error."),
        };
        if (problem.StatusCode >= 500)
        {
            logger.LogWarning(exception, "{Method} {Path} answered {Status}", context.Request.Method, context.Request.Path, problem.StatusCode);
        }

        await problem.ExecuteAsync(context);
        return true;
    }

    // The framework's message names the parameter and the JSON path, never our internals.
    private static string Describe(BadHttpRequestException bad) =>
        bad.InnerException is System.Text.Json.JsonException json
            ? $"Malformed JSON: {json.Message.Split(". ")[0]}."
            : bad.Message;
}
