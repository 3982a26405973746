using System.Collections.Immutable;

namespace Payments.Contracts;

/// <summary>Field name → messages, for a request the grain refused without recording anything.</summary>
[GenerateSerializer, Immutable, Alias("payments.ValidationErrors")]
public sealed record ValidationErrors([property: Id(0)] ImmutableDictionary<string, string[]> Fields)
{
    public static ValidationErrors Of(string field, string message) =>
        new(ImmutableDictionary<string, string[]>.Empty.Add(field, [message]));
}
