using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Payments.Api.Validation;

/// <summary>The formats of the contract: ids, MCCs, free text and the Idempotency-Key.</summary>
public static partial class FieldRules
{
    public const int MaxMerchantLength = 100;
    public const int MaxReferenceLength = 140;
    public const int MaxIdempotencyKeyLength = 128;

    public static bool IsAccountId(string? value) => value is not null && IdPattern().IsMatch(value);

    /// <summary>A region id has the shape of an account id; whether it exists is the rules' business.</summary>
    public static bool IsRegion(string? value) => IsAccountId(value);

    public static bool IsKeyName(string? value) => value is not null && KeyNamePattern().IsMatch(value);

    public static bool IsMcc(string? value) => value is not null && MccPattern().IsMatch(value);

    /// <summary>The id of a payment, an authorization or a capture: an Idempotency-Key or an id the API generated (hexadecimal).</summary>
    public static bool IsRecordId(string? value) => value is not null && IsIdempotencyKey(value);

    /// <summary>
    /// 1 to <paramref name="maxLength"/> UTF-16 characters, not blank, well-formed, with no control, format
    /// (bidirectional overrides, zero-width), private-use, unassigned or line-separator characters: what a person
    /// reading the back office's screens or a statement must see as it is.
    /// </summary>
    public static bool IsText(string? value, int maxLength)
    {
        if (string.IsNullOrWhiteSpace(value) || value.Length > maxLength)
        {
            return false;
        }

        var rest = value.AsSpan();
        while (!rest.IsEmpty)
        {
            if (Rune.DecodeFromUtf16(rest, out var rune, out var consumed) != OperationStatus.Done
                || Rune.GetUnicodeCategory(rune) is UnicodeCategory.Control or UnicodeCategory.Format
                    or UnicodeCategory.PrivateUse or UnicodeCategory.OtherNotAssigned or UnicodeCategory.Surrogate
                    or UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator)
            {
                return false;
            }

            rest = rest[consumed..];
        }

        return true;
    }

    /// <summary>1 to 128 printable ASCII characters.</summary>
    public static bool IsIdempotencyKey(string value) =>
        value.Length is > 0 and <= MaxIdempotencyKeyLength && value.All(c => c is >= ' ' and <= '~');

    // \z, not $: "$" also matches before a final newline, which would let "acc-1\n" through.
    [GeneratedRegex(@"^[A-Za-z0-9_-]{1,64}\z")]
    private static partial Regex IdPattern();

    [GeneratedRegex(@"^[A-Za-z0-9_.-]{1,64}\z")]
    private static partial Regex KeyNamePattern();

    [GeneratedRegex(@"^[0-9]{4}\z")]
    private static partial Regex MccPattern();
}
