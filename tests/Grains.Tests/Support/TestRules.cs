using System.Collections.Immutable;
using System.Globalization;
using Payments.Contracts;

namespace Payments.Grains.Tests.Support;

/// <summary>The region rules the tests use: region-a as the silo's configuration declares it.</summary>
internal static class TestRules
{
    public const string Region = "region-a";
    public const string BlockedMcc = "7995";
    public const string GroceryMcc = "5411";

    public static readonly LimitSet Defaults = new(PerPayment: 50_000, Daily: 100_000, Weekly: 300_000, Monthly: 800_000);

    public static RegionRules Paris(int resetHour = 3) => In("Europe/Paris", resetHour);

    public static RegionRules In(string timeZone, int resetHour) =>
        new(timeZone, resetHour, "EUR", 1_000_000, Defaults, ImmutableArray.Create(BlockedMcc), 1);

    /// <summary>An instant written in ISO 8601, e.g. "2026-11-25T02:00:00Z".</summary>
    public static DateTimeOffset At(string instant) => DateTimeOffset.Parse(instant, CultureInfo.InvariantCulture);

    /// <summary>A business date written YYYY-MM-DD.</summary>
    public static DateOnly Date(string date) => DateOnly.Parse(date, CultureInfo.InvariantCulture);

    /// <summary>An instant given as UTC wall-clock parts, to keep expectations readable.</summary>
    public static DateTimeOffset Utc(int year, int month, int day, int hour, int minute = 0) =>
        new(year, month, day, hour, minute, 0, TimeSpan.Zero);
}
