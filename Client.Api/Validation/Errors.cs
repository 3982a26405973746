namespace Payments.Api.Validation;

/// <summary>Collects field errors for one request.</summary>
public sealed class Errors
{
    private readonly Dictionary<string, string[]> _fields = new(StringComparer.Ordinal);

    public bool Any => _fields.Count > 0;

    public IDictionary<string, string[]> Fields => _fields;

    /// <summary>Records <paramref name="message"/> for <paramref name="field"/> unless <paramref name="valid"/>.</summary>
    public Errors Check(bool valid, string field, string message)
    {
        if (!valid)
        {
            _fields[field] = _fields.TryGetValue(field, out var existing) ? [.. existing, message] : [message];
        }

        return this;
    }
}
