using System.Globalization;
using System.Text.RegularExpressions;

namespace Payments.Contracts;

/// <summary>
/// ISO 8601 durations of fixed length: weeks (<c>P2W</c>) or days and a time part (<c>P1DT12H</c>, <c>PT30M</c>), whole
/// numbers only. Years and months are refused: their length depends on the calendar.
/// </summary>
public static partial class IsoDuration
{
    public static bool TryParse(string? text, out TimeSpan duration)
    {
        duration = default;
        if (text is null || Pattern().Match(text) is not { Success: true } match || text is "P" or "PT" || text.EndsWith('T'))
        {
            return false;
        }

        try
        {
            duration = TimeSpan.FromDays(7L * Part(match, "w")) + TimeSpan.FromDays(Part(match, "d")) + TimeSpan.FromHours(Part(match, "h"))
                + TimeSpan.FromMinutes(Part(match, "m")) + TimeSpan.FromSeconds(Part(match, "s"));
            return true;
        }
        catch (OverflowException)
        {
            return false;
        }
    }

    public static TimeSpan Parse(string text) =>
        TryParse(text, out var duration) ? duration : throw new FormatException($"'{text}' is not an ISO 8601 duration of days, hours, minutes or seconds.");

    /// <summary>The shortest form: <c>P7D</c>, <c>PT1M</c>, <c>P1DT12H</c>; <c>PT0S</c> for zero.</summary>
    public static string Format(TimeSpan duration)
    {
        if (duration < TimeSpan.Zero || duration.Ticks % TimeSpan.TicksPerSecond != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(duration), duration, "Only whole, positive seconds have an ISO 8601 form here.");
        }

        var time = Unit(duration.Hours, 'H') + Unit(duration.Minutes, 'M') + Unit(duration.Seconds, 'S');
        var days = Unit(duration.Days, 'D');
        return (days, time) switch
        {
            ("", "") => "PT0S",
            (_, "") => $"P{days}",
            _ => $"P{days}T{time}",
        };
    }

    private static string Unit(int value, char unit) => value > 0 ? value.ToString(CultureInfo.InvariantCulture) + unit : "";

    private static int Part(Match match, string name) =>
        match.Groups[name].Success ? int.Parse(match.Groups[name].Value, NumberStyles.None, CultureInfo.InvariantCulture) : 0;

    [GeneratedRegex(@"^P(?:(?<w>\d{1,6})W|(?:(?<d>\d{1,6})D)?(?:T(?:(?<h>\d{1,6})H)?(?:(?<m>\d{1,6})M)?(?:(?<s>\d{1,8})S)?)?)\z")]
    private static partial Regex Pattern();
}
