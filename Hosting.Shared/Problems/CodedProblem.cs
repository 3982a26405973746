using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace Payments.Hosting.Problems;

/// <summary>RFC 9457 problem details with the contract's stable <c>code</c> extension, as every host answers them.</summary>
public static class CodedProblem
{
    public static ProblemHttpResult Create(
        int status, string code, string title, string? detail = null, IDictionary<string, string[]>? errors = null)
    {
        var problem = errors is null ? new ProblemDetails() : new HttpValidationProblemDetails(errors);
        problem.Status = status;
        problem.Type = $"https://payments.local/problems/{code}";
        problem.Title = title;
        problem.Detail = detail;
        problem.Extensions["code"] = code;
        return TypedResults.Problem(problem);
    }
}
