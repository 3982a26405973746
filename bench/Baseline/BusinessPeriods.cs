namespace Payments.Baseline;

/// <summary>The periods of region-a's ceilings: a business day starts at 03:00 Europe/Paris, a week on Monday, a month on the 1st.</summary>
public static class BusinessPeriods
{
    private const int ResetHour = 3;
    private static readonly TimeZoneInfo Paris = TimeZoneInfo.FindSystemTimeZoneById("Europe/Paris");

    public static DateOnly Day(DateTimeOffset now) =>
        DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(now, Paris).AddHours(-ResetHour).DateTime);

    public static DateOnly Week(DateOnly day) => day.AddDays(-(((int)day.DayOfWeek + 6) % 7));

    public static DateOnly Month(DateOnly day) => new(day.Year, day.Month, 1);
}
