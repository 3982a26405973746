using System.Reflection;
using Payments.Hosting.Problems;

namespace Payments.Api.Problems;

/// <summary>Every problem code of the contract (<see cref="ProblemCodes"/>) with the HTTP status it is answered with.</summary>
public static class ProblemCatalog
{
    /// <summary>Every code, in the order <see cref="ProblemCodes"/> declares them.</summary>
    public static IReadOnlyList<string> Codes { get; } = [.. typeof(ProblemCodes).GetFields(BindingFlags.Public | BindingFlags.Static)
        .Where(field => field.IsLiteral && field.FieldType == typeof(string))
        .Select(field => (string)field.GetRawConstantValue()!)];

    public static int StatusOf(string code) => code switch
    {
        ProblemCodes.ValidationFailed => StatusCodes.Status400BadRequest,
        ProblemCodes.Unauthenticated => StatusCodes.Status401Unauthorized,
        ProblemCodes.Forbidden => StatusCodes.Status403Forbidden,
        ProblemCodes.AccountNotFound or ProblemCodes.PaymentNotFound or ProblemCodes.UnknownRegion or ProblemCodes.NotFound
            or ProblemCodes.SettlementsUnavailable or ProblemCodes.ApiKeyNotFound or ProblemCodes.WebhookEndpointNotFound
            or ProblemCodes.DeliveryNotFound or ProblemCodes.AuthorizationNotFound => StatusCodes.Status404NotFound,
        ProblemCodes.MethodNotAllowed => StatusCodes.Status405MethodNotAllowed,
        ProblemCodes.AccountExists or ProblemCodes.VersionConflict or ProblemCodes.ApiKeyExists
            or ProblemCodes.AuthorizationNotPending => StatusCodes.Status409Conflict,
        ProblemCodes.PayloadTooLarge => StatusCodes.Status413PayloadTooLarge,
        ProblemCodes.IdempotencyKeyReused or ProblemCodes.CaptureExceedsAuthorization
            or ProblemCodes.ReversalExceedsHold or ProblemCodes.RefundExceedsPayment => StatusCodes.Status422UnprocessableEntity,
        ProblemCodes.RateLimited => StatusCodes.Status429TooManyRequests,
        ProblemCodes.InternalError => StatusCodes.Status500InternalServerError,
        ProblemCodes.Unavailable => StatusCodes.Status503ServiceUnavailable,
        _ => throw new ArgumentOutOfRangeException(nameof(code), code, "A problem code without a status: add it to ProblemCatalog."),
    };
}
