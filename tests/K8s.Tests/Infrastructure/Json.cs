using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Payments.K8s.Tests.Infrastructure;

/// <summary>Small readers for the JSON shapes of Kubernetes objects.</summary>
public static class Json
{
    public static IEnumerable<JsonObject> Objects(JsonNode? array) =>
        (array as JsonArray)?.OfType<JsonObject>() ?? [];

    public static IReadOnlyDictionary<string, string> StringMap(JsonNode? node) =>
        (node as JsonObject)?.ToDictionary(pair => pair.Key, pair => Text(pair.Value) ?? "", StringComparer.Ordinal)
        ?? new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>A scalar as text, whatever its JSON type (YAML "3" and 3 both give "3").</summary>
    public static string? Text(JsonNode? node) => node switch
    {
        null => null,
        JsonValue value when value.GetValueKind() == JsonValueKind.String => value.GetValue<string>(),
        JsonValue value => value.ToJsonString(),
        _ => node.ToJsonString(),
    };

    public static long? Number(JsonNode? node) =>
        node is JsonValue value && value.GetValueKind() == JsonValueKind.Number
            ? value.GetValue<long>()
            : null;

    public static bool? Boolean(JsonNode? node) =>
        node is JsonValue value && value.GetValueKind() is JsonValueKind.True or JsonValueKind.False
            ? value.GetValue<bool>()
            : null;

    public static long? NumberOrNumericText(JsonNode? node) =>
        Number(node) ?? (long.TryParse(Text(node), NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : null);
}
