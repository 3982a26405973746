using Microsoft.AspNetCore.Http.HttpResults;
using Payments.Contracts;
using Payments.Hosting.Problems;

namespace Payments.Api.Problems;

/// <summary>RFC 9457 problem details with the contract's stable <c>code</c> extension.</summary>
public static class ApiProblems
{
    /// <summary>Seconds a client waits before retrying after a 503 or 429.</summary>
    public const int RetryAfterSeconds = 1;

    public static ProblemHttpResult Create(
        int status, string code, string title, string? detail = null, IDictionary<string, string[]>? errors = null) =>
        CodedProblem.Create(status, code, title, detail, errors);

    public static ProblemHttpResult Validation(IDictionary<string, string[]> errors) =>
        Create(StatusCodes.Status400BadRequest, ProblemCodes.ValidationFailed, "The request is not valid.",
            "See errors for each field; nothing was recorded.", errors);

    public static ProblemHttpResult Validation(ValidationErrors? errors) =>
        Validation(errors?.Fields.ToDictionary() ?? []);

    public static ProblemHttpResult Validation(string field, string message) =>
        Validation(new Dictionary<string, string[]> { [field] = [message] });

    public static ProblemHttpResult AccountNotFound(string accountId) =>
        Create(StatusCodes.Status404NotFound, ProblemCodes.AccountNotFound, "Account not found.", $"No account '{accountId}'.");

    public static ProblemHttpResult AuthorizationNotFound(string accountId) =>
        Create(StatusCodes.Status404NotFound, ProblemCodes.AuthorizationNotFound, "Authorization not found.",
            $"Account '{accountId}' has no authorization with this id.");

    public static ProblemHttpResult PaymentNotFound(string accountId, string paymentId) =>
        Create(StatusCodes.Status404NotFound, ProblemCodes.PaymentNotFound, "Payment not found.",
            $"No payment '{paymentId}' on account '{accountId}'.");

    public static ProblemHttpResult Forbidden(string detail) =>
        Create(StatusCodes.Status403Forbidden, ProblemCodes.Forbidden, "Forbidden.", detail);

    public static ProblemHttpResult UnknownRegion(string region) =>
        Create(StatusCodes.Status404NotFound, ProblemCodes.UnknownRegion, "Unknown region.", $"No region '{region}'.");

    public static ProblemHttpResult KeyReused() =>
        Create(StatusCodes.Status422UnprocessableEntity, ProblemCodes.IdempotencyKeyReused,
            "Idempotency-Key reused.", "This Idempotency-Key was used with a different request.");

    /// <summary>
    /// No decision can be given now. It may still have been recorded (a commit whose acknowledgement was lost, a
    /// cluster that answered too late), so the client retries with the same Idempotency-Key to learn it.
    /// </summary>
    public static ProblemHttpResult Unavailable(HttpContext context) => Unavailable(context,
        "No decision can be given now. Retry with the same Idempotency-Key: the retry returns the decision if one " +
        "was recorded, or makes it.");

    /// <summary>The request ran out of time: it may have taken effect, and a retry with the same Idempotency-Key tells.</summary>
    public static ProblemHttpResult TimedOut(HttpContext context) => Unavailable(context,
        "The request did not complete in time and may or may not have taken effect. Retry with the same Idempotency-Key.");

    /// <summary>Shed before it reached a grain: nothing of the request was recorded.</summary>
    public static ProblemHttpResult Overloaded(HttpContext context) => Unavailable(context,
        "The service is at its limit of requests in progress and did not start this one: nothing was recorded. Retry " +
        "after the Retry-After delay with the same Idempotency-Key.");

    public static ProblemHttpResult PayloadTooLarge(long maxBytes) =>
        Create(StatusCodes.Status413PayloadTooLarge, ProblemCodes.PayloadTooLarge, "Payload too large.",
            $"Request bodies are limited to {maxBytes} bytes.");

    /// <summary>503 <c>unavailable</c> with <c>Retry-After</c>, saying why in <paramref name="detail"/>.</summary>
    public static ProblemHttpResult Unavailable(HttpContext context, string detail)
    {
        context.Response.Headers.RetryAfter = RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return Create(StatusCodes.Status503ServiceUnavailable, ProblemCodes.Unavailable, "Temporarily unavailable.", detail);
    }
}
