using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;
using Payments.Api.Problems;
using Payments.Api.Validation;

namespace Payments.Api.Apis;

/// <summary>What several endpoints read from a request the same way: the account id, the Idempotency-Key, query values.</summary>
public static class RequestContext
{
    public const string IdempotencyKeyHeader = "Idempotency-Key";
    public const string ReplayedHeader = "Idempotent-Replayed";

    /// <summary>The Idempotency-Key header, or a problem when it is repeated or malformed.</summary>
    public static (string? Key, ProblemHttpResult? Problem) IdempotencyKey(HttpRequest request)
    {
        var values = request.Headers[IdempotencyKeyHeader];
        return values.Count switch
        {
            0 => (null, null),
            1 when FieldRules.IsIdempotencyKey(values[0]!) => (values[0], null),
            _ => (null, ApiProblems.Validation(IdempotencyKeyHeader, "One Idempotency-Key of 1 to 128 printable ASCII characters.")),
        };
    }

    /// <summary>The Idempotency-Key of a write on one account, or the problem with it or with the account id.</summary>
    public static (string? Key, ProblemHttpResult? Problem) KeyedWrite(HttpRequest request, string accountId)
    {
        var (key, badKey) = IdempotencyKey(request);
        return (key, badKey ?? CheckAccountId(accountId));
    }

    /// <summary>A query parameter given at most once; a repeated one is a problem rather than a guess.</summary>
    public static (string? Value, ProblemHttpResult? Problem) SingleQuery(HttpRequest request, string name)
    {
        var values = request.Query[name];
        return values.Count switch
        {
            0 => (null, null),
            1 => (values[0], null),
            _ => (null, ApiProblems.Validation(name, "Give this parameter once.")),
        };
    }

    /// <summary>The <c>limit</c> (default <paramref name="defaultSize"/>, 1 to <paramref name="maxSize"/>) and <c>before</c> cursor of a list.</summary>
    public static (int Limit, long? BeforeSeq, ProblemHttpResult? Problem) Page(HttpRequest request, int defaultSize, int maxSize)
    {
        var (limit, badLimit) = SingleQuery(request, "limit");
        var (before, badBefore) = SingleQuery(request, "before");
        if ((badLimit ?? badBefore) is { } invalid)
        {
            return (0, null, invalid);
        }

        var pageSize = defaultSize;
        if (limit is not null && (!int.TryParse(limit, NumberStyles.None, CultureInfo.InvariantCulture, out pageSize) || pageSize < 1 || pageSize > maxSize))
        {
            return (0, null, ApiProblems.Validation("limit", $"A whole number between 1 and {maxSize}."));
        }

        if (before is null)
        {
            return (pageSize, null, null);
        }

        return long.TryParse(before, NumberStyles.None, CultureInfo.InvariantCulture, out var seq) && seq > 0
            ? (pageSize, seq, null)
            : (0, null, ApiProblems.Validation("before", "A cursor returned as 'next' by a previous page."));
    }

    public static ProblemHttpResult? CheckAccountId(string accountId) =>
        FieldRules.IsAccountId(accountId) ? null : ApiProblems.Validation("accountId", "1 to 64 characters of [A-Za-z0-9_-].");

    public static void MarkReplayed(HttpResponse response) => response.Headers[ReplayedHeader] = "true";
}
