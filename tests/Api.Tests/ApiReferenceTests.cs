using System.Reflection;
using System.Text.RegularExpressions;
using Payments.Hosting.Problems;
using Payments.K8s.Tests.Infrastructure;

namespace Payments.Api.Tests;

/// <summary>docs/api.md is the reference of the API as it is: every route it maps and every problem code it knows.</summary>
[Collection(ApiCollection.Name)]
public sealed partial class ApiReferenceTests(ApiFixture fixture)
{
    private static readonly string Reference = File.ReadAllText(RepositoryRoot.Combine("docs", "api.md"));

    [Fact]
    public void Every_route_the_api_maps_is_in_the_reference()
    {
        var missing = AuthorizationMatrix.Endpoints(fixture.Factory.Services)
            .Select(endpoint => $"{endpoint.Method} {endpoint.Pattern.TrimEnd('/').Replace("{documentName}", "v1", StringComparison.Ordinal)}")
            .Distinct()
            .Where(route => !Regex.IsMatch(Reference, $"`{Regex.Escape(route)}[`?]"))
            .ToList();

        Assert.True(missing.Count == 0, "docs/api.md does not describe (write each as `METHOD /v1/path`): " + string.Join(", ", missing));
    }

    [Fact]
    public void Reference_lists_every_problem_code_and_no_other()
    {
        var codes = typeof(ProblemCodes).GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(field => field.IsLiteral)
            .Select(field => (string)field.GetRawConstantValue()!)
            .Order(StringComparer.Ordinal);
        var listed = CodeRow().Matches(Reference).Select(row => row.Groups[1].Value).Order(StringComparer.Ordinal);

        Assert.Equal(codes, listed);
    }

    [GeneratedRegex(@"^\| `([a-z_]+)` \| \d{3} \|", RegexOptions.Multiline)]
    private static partial Regex CodeRow();
}
