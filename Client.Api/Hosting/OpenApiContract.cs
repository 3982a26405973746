using System.Text.Json.Nodes;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
using Payments.Api.Problems;
using Payments.Hosting.Problems;

namespace Payments.Api.Hosting;

/// <summary>
/// Adds to the OpenAPI document what the types alone do not say: the <c>Problem</c> schema, whose <c>code</c> lists
/// every problem code; for each operation the problems it answers, one response per status with an example per
/// code; and the example bodies of <see cref="OpenApiExamples"/>.
/// </summary>
public sealed class OpenApiContract : IOpenApiDocumentTransformer, IOpenApiOperationTransformer
{
    public const string ProblemSchema = "Problem";
    private const string ProblemMediaType = "application/problem+json";
    private const string JsonMediaType = "application/json";

    /// <summary>What any <c>/v1</c> operation may answer: no or a wrong key, the rate limit, the request timeout, a fault.</summary>
    private static readonly string[] EveryOperation =
        [ProblemCodes.Unauthenticated, ProblemCodes.Forbidden, ProblemCodes.RateLimited, ProblemCodes.Unavailable, ProblemCodes.InternalError];

    /// <summary>What any operation with a body may answer besides.</summary>
    private static readonly string[] EveryBody = [ProblemCodes.ValidationFailed, ProblemCodes.PayloadTooLarge];

    public Task TransformAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancellationToken)
    {
        document.AddComponent<IOpenApiSchema>(ProblemSchema, new OpenApiSchema
        {
            Type = JsonSchemaType.Object,
            Description = "RFC 9457 problem details with the stable code of the contract (docs/api.md).",
            Required = new HashSet<string> { "type", "status", "code" },
            Properties = new Dictionary<string, IOpenApiSchema>
            {
                ["type"] = new OpenApiSchema { Type = JsonSchemaType.String },
                ["title"] = new OpenApiSchema { Type = JsonSchemaType.String },
                ["status"] = new OpenApiSchema { Type = JsonSchemaType.Integer },
                ["detail"] = new OpenApiSchema { Type = JsonSchemaType.String },
                ["code"] = new OpenApiSchema
                {
                    Type = JsonSchemaType.String,
                    Enum = [.. ProblemCatalog.Codes.Select(code => (JsonNode)JsonValue.Create(code))],
                },
                ["traceId"] = new OpenApiSchema { Type = JsonSchemaType.String },
                ["errors"] = new OpenApiSchema
                {
                    Type = JsonSchemaType.Object,
                    Description = "validation_failed only: the messages of each refused field.",
                    AdditionalProperties = new OpenApiSchema { Type = JsonSchemaType.Array, Items = new OpenApiSchema { Type = JsonSchemaType.String } },
                },
            },
        });
        return Task.CompletedTask;
    }

    public Task TransformAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        if (context.Description.RelativePath?.StartsWith("v1/", StringComparison.Ordinal) != true)
        {
            return Task.CompletedTask;
        }

        var described = operation.OperationId is { } name ? OpenApiExamples.ByName.GetValueOrDefault(name) : null;
        AddExamples(operation, described);
        var hasBody = operation.RequestBody is not null;
        string[] codes = [.. EveryOperation, .. hasBody ? EveryBody : [], .. described?.Problems ?? []];
        operation.Responses ??= [];
        foreach (var byStatus in codes.Distinct().GroupBy(ProblemCatalog.StatusOf).OrderBy(group => group.Key))
        {
            operation.Responses[byStatus.Key.ToString(System.Globalization.CultureInfo.InvariantCulture)] = ProblemResponse(byStatus, context.Document!);
        }

        return Task.CompletedTask;
    }

    private static void AddExamples(OpenApiOperation operation, OpenApiExamples.Operation? described)
    {
        if (described?.Request is { } request && operation.RequestBody?.Content is { } bodies && bodies.TryGetValue(JsonMediaType, out var body))
        {
            body.Example = JsonNode.Parse(request);
        }

        if (described?.Answer is not { } answer || operation.Responses is null)
        {
            return;
        }

        foreach (var (status, response) in operation.Responses)
        {
            if (status.StartsWith('2') && response.Content is { } contents && contents.TryGetValue(JsonMediaType, out var content))
            {
                content.Example = JsonNode.Parse(answer);
            }
        }
    }

    private static OpenApiResponse ProblemResponse(IGrouping<int, string> codes, OpenApiDocument document) => new()
    {
        Description = string.Join(", ", codes),
        Content = new Dictionary<string, OpenApiMediaType>
        {
            [ProblemMediaType] = new()
            {
                Schema = new OpenApiSchemaReference(ProblemSchema, document),
                Examples = codes.ToDictionary(code => code, code => (IOpenApiExample)new OpenApiExample
                {
                    Value = new JsonObject
                    {
                        ["type"] = $"https://payments.local/problems/{code}",
                        ["status"] = codes.Key,
                        ["code"] = code,
                    },
                }),
            },
        },
    };
}
