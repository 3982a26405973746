using System.Text.RegularExpressions;

namespace Payments.Api.Validation;

/// <summary>The formats of the contract: ids, MCCs, free text and the Idempotency-Key.</summary>
public static partial class FieldRules
{
    public const int MaxMerchantLength = 100;
    public const int MaxReferenceLength = 140;
    public const int MaxIdempotencyKeyLength = 128;

    public static bool IsAccountId(string? value) => value is not null && AccountIdPattern().IsMatch(value);

    public static bool IsMcc(string? value) => value is not null && MccPattern().IsMatch(value);

    /// <summary>1 to <paramref name="maxLength"/> characters, not blank, no control characters.</summary>
    public static bool IsText(string? value, int maxLength) =>
        !string.IsNullOrWhiteSpace(value) && value.Length <= maxLength && !value.Any(char.IsControl);

    /// <summary>1 to 128 printable ASCII characters.</summary>
    public static bool IsIdempotencyKey(string value) =>
        value.Length is > 0 and <= MaxIdempotencyKeyLength && value.All(c => c is >= ' ' and <= '~');

    [GeneratedRegex("^[A-Za-z0-9_-]{1,64}$")]
    private static partial Regex AccountIdPattern();

    [GeneratedRegex("^[0-9]{4}$")]
    private static partial Regex MccPattern();
}
