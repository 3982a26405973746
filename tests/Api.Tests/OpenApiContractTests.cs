using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Payments.Api.Problems;
using Payments.Contracts;
using HttpJsonOptions = Microsoft.AspNetCore.Http.Json.JsonOptions;

namespace Payments.Api.Tests;

/// <summary>The OpenAPI document carries an example for every body and every problem code each operation answers.</summary>
[Collection(ApiCollection.Name)]
public sealed class OpenApiContractTests(ApiFixture fixture)
{
    private static readonly Type[] ContractTypes =
        [.. typeof(Program).Assembly.GetTypes(), .. typeof(PaymentRecord).Assembly.GetTypes(), .. typeof(Payments.Hosting.Security.ApiKeyView).Assembly.GetTypes()];

    [Fact]
    public async Task Problem_schema_lists_every_problem_code()
    {
        var document = await DocumentAsync();

        var codes = document["components"]!["schemas"]!["Problem"]!["properties"]!["code"]!["enum"]!.AsArray().Select(code => (string)code!);

        Assert.Equal(ProblemCatalog.Codes.Order(StringComparer.Ordinal), codes.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Every_operation_has_examples_of_its_bodies_and_of_each_problem_it_answers()
    {
        var missing = new List<string>();
        foreach (var (name, operation) in await V1OperationsAsync())
        {
            if (operation["requestBody"] is { } body && body["content"]!["application/json"]!["example"] is null)
            {
                missing.Add($"{name}: request example");
            }

            foreach (var (status, response) in operation["responses"]!.AsObject())
            {
                var content = response!["content"]?.AsObject();
                if (status.StartsWith('2') && content?["application/json"] is { } json && json["example"] is null)
                {
                    missing.Add($"{name}: {status} example");
                }

                if (status[0] is '4' or '5'
                    && (content?["application/problem+json"]?["examples"]?.AsObject() is not { Count: > 0 } examples
                        || examples.Any(example => ProblemCatalog.StatusOf((string)example.Value!["value"]!["code"]!).ToString(System.Globalization.CultureInfo.InvariantCulture) != status)))
                {
                    missing.Add($"{name}: {status} problem examples");
                }
            }

            if (operation["responses"]!.AsObject().Count(response => response.Key[0] is '4' or '5') < 5)
            {
                missing.Add($"{name}: the problems of every operation");
            }
        }

        Assert.True(missing.Count == 0,
            "Give each operation its entry in Client.Api/Hosting/OpenApiExamples.cs (problems, request, answer); missing: " + string.Join("; ", missing));
    }

    [Fact]
    public async Task Body_examples_are_read_by_the_api_strict_json_rules_as_their_schema_types()
    {
        var json = fixture.Factory.Services.GetRequiredService<IOptions<HttpJsonOptions>>().Value.SerializerOptions;
        var read = 0;
        foreach (var (name, operation) in await V1OperationsAsync())
        {
            var bodies = new List<JsonNode?> { operation["requestBody"]?["content"]?["application/json"] };
            bodies.AddRange(operation["responses"]!.AsObject().Where(r => r.Key.StartsWith('2')).Select(r => r.Value!["content"]?["application/json"]));
            foreach (var body in bodies.Where(body => body?["example"] is not null))
            {
                var type = SchemaType(body!["schema"]!);
                var example = body["example"]!.ToJsonString();
                var error = Record.Exception(() => JsonSerializer.Deserialize(example, type, json));
                Assert.True(error is null, $"{name}: the example is not a {type.Name}: {error?.Message}");
                read++;
            }
        }

        Assert.True(read >= 20, $"only {read} examples read");
    }

    private static Type SchemaType(JsonNode schema)
    {
        var reference = (string)schema["$ref"]!;
        var name = reference[(reference.LastIndexOf('/') + 1)..];
        return ContractTypes.Single(type => type.Name == name && type.IsPublic);
    }

    private async Task<List<(string Name, JsonNode Operation)>> V1OperationsAsync()
    {
        var document = await DocumentAsync();
        return [.. document["paths"]!.AsObject()
            .Where(path => path.Key.StartsWith("/v1/", StringComparison.Ordinal))
            .SelectMany(path => path.Value!.AsObject().Select(operation => ($"{operation.Key.ToUpperInvariant()} {path.Key}", operation.Value!)))];
    }

    private async Task<JsonNode> DocumentAsync() =>
        (await fixture.Factory.CreateClient().GetFromJsonAsync<JsonNode>("/openapi/v1.json"))!;
}
