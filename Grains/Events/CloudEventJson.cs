using System.Globalization;
using System.Text;
using System.Text.Json;
using Payments.Contracts;
using Payments.Ledger;

namespace Payments.Events;

/// <summary>Structured-mode CloudEvents 1.0 JSON, with the data serialized as the API serializes its answers.</summary>
public static class CloudEventJson
{
    public const string ContentType = "application/cloudevents+json";

    /// <summary>The API's JSON: camelCase, enums as the contract spells them, nulls written.</summary>
    public static JsonSerializerOptions DataOptions { get; } = new(JsonSerializerDefaults.Web) { Converters = { new ContractEnumConverter() } };

    public static string Write(string id, string source, string type, LedgerEntry entry, object data)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("specversion", "1.0");
            writer.WriteString("id", id);
            writer.WriteString("source", source);
            writer.WriteString("type", type);
            writer.WriteString("subject", entry.AccountId);
            writer.WritePropertyName("time");
            JsonSerializer.Serialize(writer, entry.CreatedAt, DataOptions);
            // The CloudEvents sequence extension is a string; consumers compare it as the integer it holds.
            writer.WriteString("sequence", entry.Seq.ToString(CultureInfo.InvariantCulture));
            writer.WriteString("datacontenttype", "application/json");
            writer.WritePropertyName("data");
            JsonSerializer.Serialize(writer, data, data.GetType(), DataOptions);
            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }
}
