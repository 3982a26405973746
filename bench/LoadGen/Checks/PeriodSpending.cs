namespace Payments.LoadGen.Checks;

/// <summary>
/// What one account spent per day, week (from Monday) and month, keyed by business day as the ledger dates its rows:
/// approvals add, what holds give back comes off the day it was approved in.
/// </summary>
internal sealed class PeriodSpending
{
    private readonly Dictionary<(char Period, DateOnly Start), long> _spent = [];

    public void Add(DateOnly day, long amount)
    {
        foreach (var key in Keys(day))
        {
            _spent[key] = checked(_spent.GetValueOrDefault(key) + amount);
        }
    }

    /// <summary>Whether a period of <paramref name="day"/> is over its ceiling in <paramref name="ceilings"/>.</summary>
    public bool Overruns(DateOnly day, Ceilings? ceilings)
    {
        if (ceilings is null)
        {
            return false;
        }

        var keys = Keys(day);
        return Over(keys[0], ceilings.Daily) || Over(keys[1], ceilings.Weekly) || Over(keys[2], ceilings.Monthly);
    }

    private bool Over((char, DateOnly) key, long? ceiling) => ceiling is { } limit && _spent.GetValueOrDefault(key) > limit;

    private static (char, DateOnly)[] Keys(DateOnly day) =>
    [
        ('d', day),
        ('w', day.AddDays(-(((int)day.DayOfWeek + 6) % 7))),
        ('m', new DateOnly(day.Year, day.Month, 1)),
    ];
}
