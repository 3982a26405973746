namespace Payments.Accounts;

/// <summary>
/// What was approved in one period of one ceiling, keyed by the business date the period starts on.
/// Nothing ever resets it: a counter whose period has passed simply reads as zero.
/// </summary>
[GenerateSerializer]
public sealed class SpendingCounter
{
    [Id(0)] public DateOnly Period { get; set; }

    [Id(1)] public long Spent { get; set; }

    /// <summary>
    /// Spent in the period <paramref name="current"/>. A counter keyed later than the current period can only come
    /// from a rules change that moved the calendar back: it still counts, so a change never hands back spent ceiling.
    /// </summary>
    public long SpentIn(DateOnly current) => Period >= current ? Spent : 0;

    public void Add(DateOnly period, long amount)
    {
        if (period > Period)
        {
            Period = period;
            Spent = amount;
        }
        else
        {
            Spent = checked(Spent + amount);
        }
    }

    /// <summary>
    /// Spent in <paramref name="period"/> as far as the counter knows: nothing in a period before its own, which has
    /// passed. For amounts dated in the past (advices); decisions made now read <see cref="SpentIn"/>.
    /// </summary>
    public long SpentInDated(DateOnly period) => Period == period ? Spent : 0;

    /// <summary>Adds an amount dated in <paramref name="period"/>, unless the counter has moved beyond that period.</summary>
    public void AddUnlessPassed(DateOnly period, long amount)
    {
        if (period >= Period)
        {
            Add(period, amount);
        }
    }

    /// <summary>Gives back an amount approved in <paramref name="period"/>; a period that has passed has nothing to give back.</summary>
    public void Remove(DateOnly period, long amount)
    {
        if (period == Period)
        {
            Spent = Math.Max(0, Spent - amount);
        }
    }
}
