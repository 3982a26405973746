using System.Text.Json;
using System.Text.Json.Serialization;
using Payments.Contracts;

namespace Payments.Ledger.Changes;

/// <summary>
/// A row's change as the JSON of its <c>payload</c> column, schema version <see cref="Version"/>. The row's kind
/// picks the type; an unknown kind or version throws rather than guess. Enumerations are written as their stable
/// snake_case codes, never as numbers or C# names.
/// </summary>
public static class LedgerPayload
{
    /// <summary>The payload schema written now. Reading another version throws until a mapping for it is added here.</summary>
    public const short Version = 1;

    private static readonly JsonSerializerOptions Options = new()
    {
        RespectNullableAnnotations = true,
        RespectRequiredConstructorParameters = true,
        Converters =
        {
            new EnumCodeConverter<PaymentStatus>(new()
            {
                [PaymentStatus.Approved] = "approved",
                [PaymentStatus.Declined] = "declined",
            }),
            new EnumCodeConverter<DeclineReason>(Enum.GetValues<DeclineReason>().ToDictionary(r => r, DeclineCodes.ToCode)),
            new EnumCodeConverter<AccountStatus>(new()
            {
                [AccountStatus.Active] = "active",
                [AccountStatus.Frozen] = "frozen",
                [AccountStatus.Closed] = "closed",
            }),
            new EnumCodeConverter<AdviceKind>(new()
            {
                [AdviceKind.Payment] = "payment",
                [AdviceKind.Authorization] = "authorization",
            }),
        },
    };

    public static string Write(LedgerChange change) => JsonSerializer.Serialize(change, change.GetType(), Options);

    public static LedgerChange Read(EntryKind kind, short version, string json)
    {
        if (version != Version)
        {
            throw new InvalidDataException($"Ledger payload version {version} has no mapping (this code reads {Version}).");
        }

        return kind switch
        {
            EntryKind.Open => Deserialize<AccountOpened>(json),
            EntryKind.Payment => Deserialize<PaymentDecided>(json),
            EntryKind.Deposit => Deserialize<DepositMade>(json),
            EntryKind.Settings => Deserialize<SettingsChanged>(json),
            EntryKind.Authorization => Deserialize<AuthorizationDecided>(json),
            EntryKind.Capture => Deserialize<CaptureMade>(json),
            EntryKind.Reversal => Deserialize<ReversalMade>(json),
            EntryKind.Expiry => Deserialize<HoldExpired>(json),
            EntryKind.Increment => Deserialize<IncrementDecided>(json),
            EntryKind.Refund => Deserialize<RefundMade>(json),
            EntryKind.Advice => Deserialize<AdviceRecorded>(json),
            _ => throw new InvalidDataException($"Ledger row kind {kind} has no payload type."),
        };
    }

    private static T Deserialize<T>(string json)
        where T : LedgerChange =>
        JsonSerializer.Deserialize<T>(json, Options) ?? throw new InvalidDataException($"A null {typeof(T).Name} payload.");

    /// <summary>An enumeration as fixed codes: writing a value without a code, or reading an unknown code, throws.</summary>
    private sealed class EnumCodeConverter<T>(Dictionary<T, string> codes) : JsonConverter<T>
        where T : struct, Enum
    {
        private readonly Dictionary<string, T> _values = codes.ToDictionary(pair => pair.Value, pair => pair.Key, StringComparer.Ordinal);

        public override T Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            reader.GetString() is { } code && _values.TryGetValue(code, out var value)
                ? value
                : throw new JsonException($"Unknown {typeof(T).Name} code '{reader.GetString()}'.");

        public override void Write(Utf8JsonWriter writer, T value, JsonSerializerOptions options) =>
            writer.WriteStringValue(codes.TryGetValue(value, out var code)
                ? code
                : throw new JsonException($"{typeof(T).Name}.{value} has no code."));
    }
}
