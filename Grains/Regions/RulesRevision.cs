using System.Collections.Immutable;
using System.Globalization;
using Payments.Accounts;
using Payments.Contracts;

namespace Payments.Regions;

/// <summary>
/// The next version of a region's rules: validated, MCCs normalised, and a change of zone or hour scheduled for the
/// end of the current business day. Pure: the grain calls it with the stored rules and the time.
/// </summary>
/// <remarks>
/// A calendar change never shortens or stretches the day in progress: it takes effect at that day's end, and the
/// first day of the new calendar runs from there to its next reset (see <see cref="BusinessCalendar"/>). Until then
/// the pending change may be retargeted or cancelled. A second change inside that first day is refused, because
/// the calendar keeps only one previous zone and hour.
/// </remarks>
public static class RulesRevision
{
    /// <summary>At most this many merchant categories with a hold period of their own.</summary>
    public const int MaxHoldCategories = 1000;

    public static (RegionRules? Next, ValidationErrors? Errors) Apply(RegionRules current, RegionRules proposed, DateTimeOffset now)
    {
        var fields = Validate(proposed);
        CalendarChange? change = null;
        if (fields.Count == 0 && !TryScheduleCalendar(current, proposed, now, out change, out var refusal))
        {
            fields["resetHour"] = [refusal];
        }

        if (fields.Count > 0)
        {
            return (null, new ValidationErrors(fields.ToImmutableDictionary(StringComparer.Ordinal)));
        }

        return (proposed with
        {
            BlockedMccs = [.. proposed.BlockedMccs.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)],
            Version = current.Version + 1,
            CalendarChange = change,
        }, null);
    }

    /// <summary>What every region's rules must satisfy for the payment path to rely on them.</summary>
    public static Dictionary<string, string[]> Validate(RegionRules rules)
    {
        var fields = new Dictionary<string, string[]>(StringComparer.Ordinal);
        if (!BusinessCalendar.IsKnownZone(rules.TimeZone))
        {
            fields["timeZone"] = [$"'{rules.TimeZone}' is not an IANA time zone known to the silos."];
        }

        if (rules.ResetHour is < 0 or > 23)
        {
            fields["resetHour"] = ["An hour from 0 to 23, local time."];
        }

        if (rules.Currency is not { Length: 3 } || !rules.Currency.All(char.IsAsciiLetterUpper))
        {
            fields["currency"] = ["An ISO 4217 currency code."];
        }

        if (rules.MaxPerPayment <= 0)
        {
            fields["maxPerPayment"] = ["A positive number of minor units."];
        }

        if (rules.DefaultLimits is not { PerPayment: > 0, Daily: > 0, Weekly: > 0, Monthly: > 0 })
        {
            fields["defaultLimits"] = ["Every limit must be a positive number of minor units."];
        }

        if (rules.BlockedMccs.IsDefault || !rules.BlockedMccs.All(IsMcc))
        {
            fields["blockedMccs"] = ["Merchant category codes of four digits (ISO 18245)."];
        }

        ValidateHolds(rules.HoldRulesInForce(), fields);
        return fields;
    }

    private static void ValidateHolds(HoldRules holds, Dictionary<string, string[]> fields)
    {
        var range = $"{IsoDuration.Format(HoldRules.MinExpiry)} to {IsoDuration.Format(HoldRules.MaxExpiry)}";
        if (!IsHoldPeriod(holds.DefaultExpiry))
        {
            fields["holdExpiry.default"] = [$"An ISO 8601 duration from {range}."];
        }

        var refused = holds.ExpiryByMcc.Where(p => !IsMcc(p.Key) || !IsHoldPeriod(p.Value)).Select(p => p.Key).Order(StringComparer.Ordinal).ToList();
        if (refused.Count > 0 || holds.ExpiryByMcc.Count > MaxHoldCategories)
        {
            fields["holdExpiry.byMcc"] = [$"Up to {MaxHoldCategories} merchant categories of four digits (ISO 18245), each with a duration " +
                $"from {range}; refused: {string.Join(", ", refused.Take(10))}."];
        }

        if (holds.OverCapturePercent is < 0 or > 100)
        {
            fields["overCapturePercent"] = ["A whole number of percent from 0 to 100."];
        }
    }

    private static bool IsHoldPeriod(TimeSpan period) => period >= HoldRules.MinExpiry && period <= HoldRules.MaxExpiry;

    private static bool IsMcc(string mcc) => mcc is { Length: 4 } && mcc.All(char.IsAsciiDigit);

    private static bool TryScheduleCalendar(
        RegionRules current, RegionRules proposed, DateTimeOffset now, out CalendarChange? change, out string refusal)
    {
        refusal = "";
        change = current.CalendarChange;
        if (SameCalendar(proposed.TimeZone, proposed.ResetHour, current.TimeZone, current.ResetHour))
        {
            return true;
        }

        if (current.CalendarChange is { } pending && now < pending.EffectiveAt)
        {
            // Still the last day of the previous calendar: aim the pending change elsewhere, or cancel it.
            change = SameCalendar(proposed.TimeZone, proposed.ResetHour, pending.PreviousTimeZone, pending.PreviousResetHour)
                ? null
                : pending;
            return true;
        }

        var inForce = BusinessCalendar.For(current);
        var today = inForce.BusinessDate(now);
        var tomorrow = inForce.DayStart(today.AddDays(1));
        if (current.CalendarChange is { } last && inForce.BusinessDate(last.EffectiveAt) == today)
        {
            refusal = string.Create(CultureInfo.InvariantCulture,
                $"The calendar changed at {last.EffectiveAt:O}; it can change again from {tomorrow:O}.");
            return false;
        }

        change = new CalendarChange(current.TimeZone, current.ResetHour, tomorrow);
        return true;
    }

    private static bool SameCalendar(string zone, int hour, string otherZone, int otherHour) =>
        hour == otherHour && string.Equals(zone, otherZone, StringComparison.Ordinal);
}
