using System.Collections.Frozen;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Payments.Contracts;

/// <summary>
/// Enums as the contract spells them (snake_case: "frozen", "insufficient_funds"), read exactly. The framework's
/// string converter also reads "Frozen", "frozen " and "active,frozen" (flags syntax, OR-ing values into one that
/// may not exist); this one reads a defined name or refuses the body.
/// </summary>
public sealed class ContractEnumConverter : JsonConverterFactory
{
    /// <summary>The contract's names of an enum's values, as they are read and written.</summary>
    public static IEnumerable<string> NamesOf(Type enumType) => Enum.GetNames(enumType).Select(JsonNamingPolicy.SnakeCaseLower.ConvertName);

    /// <summary>The contract's name of one value, as it is read and written.</summary>
    public static string NameOf<T>(T value)
        where T : struct, Enum => JsonNamingPolicy.SnakeCaseLower.ConvertName(value.ToString());

    public override bool CanConvert(Type typeToConvert) => typeToConvert.IsEnum;

    public override JsonConverter CreateConverter(Type typeToConvert, JsonSerializerOptions options) =>
        (JsonConverter)Activator.CreateInstance(typeof(Converter<>).MakeGenericType(typeToConvert))!;

    private sealed class Converter<T> : JsonConverter<T>
        where T : struct, Enum
    {
        private static readonly FrozenDictionary<T, string> Names =
            Enum.GetValues<T>().Zip(NamesOf(typeof(T))).ToFrozenDictionary(p => p.First, p => p.Second);

        private static readonly FrozenDictionary<string, T> Values = Names.ToFrozenDictionary(p => p.Value, p => p.Key, StringComparer.Ordinal);

        public override T Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            reader.TokenType == JsonTokenType.String && Values.TryGetValue(reader.GetString()!, out var value)
                ? value
                : throw new JsonException($"Expected one of {string.Join(", ", Values.Keys)}.");

        public override void Write(Utf8JsonWriter writer, T value, JsonSerializerOptions options) =>
            writer.WriteStringValue(Names.TryGetValue(value, out var name) ? name : throw new JsonException($"{typeof(T).Name} {value} is not defined."));
    }
}
