namespace Payments.Contracts;

/// <summary>The event types a reader asked for: exact names, or a prefix ending in <c>.*</c>. None: every type.</summary>
public sealed class EventTypeFilter(IReadOnlyList<string> types)
{
    public bool Matches(string type) => types.Count == 0 || types.Any(pattern => Matches(pattern, type));

    /// <summary>Whether a filter names a known type or a prefix of known types (<c>payment.*</c>); <c>*</c> alone is not one.</summary>
    public static bool IsValid(string pattern) => EventTypes.All.Any(type => Matches(pattern, type));

    private static bool Matches(string pattern, string type) =>
        pattern.EndsWith(".*", StringComparison.Ordinal)
            ? type.StartsWith(pattern[..^1], StringComparison.Ordinal)
            : string.Equals(pattern, type, StringComparison.Ordinal);
}
