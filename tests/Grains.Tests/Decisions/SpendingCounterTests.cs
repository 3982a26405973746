using Payments.Accounts;

namespace Payments.Grains.Tests.Decisions;

public sealed class SpendingCounterTests
{
    private static readonly DateOnly Monday = new(2026, 11, 23);

    [Fact]
    public void New_counter_has_spent_nothing()
    {
        Assert.Equal(0, new SpendingCounter().SpentIn(Monday));
    }

    [Fact]
    public void Amounts_of_one_period_add_up()
    {
        var counter = new SpendingCounter();

        counter.Add(Monday, 100);
        counter.Add(Monday, 250);

        Assert.Equal(350, counter.SpentIn(Monday));
    }

    [Fact]
    public void Counter_of_a_past_period_reads_as_zero_without_being_reset()
    {
        var counter = new SpendingCounter();
        counter.Add(Monday, 100);

        Assert.Equal(0, counter.SpentIn(Monday.AddDays(1)));
        Assert.Equal(Monday, counter.Period);
        Assert.Equal(100, counter.Spent);
    }

    [Fact]
    public void Amount_of_a_later_period_starts_the_counter_again()
    {
        var counter = new SpendingCounter();
        counter.Add(Monday, 100);

        counter.Add(Monday.AddDays(1), 40);

        Assert.Equal(40, counter.SpentIn(Monday.AddDays(1)));
        Assert.Equal(Monday.AddDays(1), counter.Period);
    }

    [Fact]
    public void Counter_keyed_later_than_the_current_period_still_counts()
    {
        // A rules change moved the calendar back (say a later reset hour): today's business date is now the day
        // before the counter's. What was spent must not be handed back.
        var counter = new SpendingCounter();
        counter.Add(Monday.AddDays(1), 100);

        Assert.Equal(100, counter.SpentIn(Monday));
    }

    [Fact]
    public void Amount_of_an_earlier_period_adds_to_the_later_counter()
    {
        var counter = new SpendingCounter();
        counter.Add(Monday.AddDays(1), 100);

        counter.Add(Monday, 30);

        Assert.Equal(Monday.AddDays(1), counter.Period);
        Assert.Equal(130, counter.SpentIn(Monday.AddDays(1)));
    }

    [Fact]
    public void Sum_that_overflows_throws_instead_of_wrapping()
    {
        var counter = new SpendingCounter();
        counter.Add(Monday, long.MaxValue);

        Assert.Throws<OverflowException>(() => counter.Add(Monday, 1));
    }
}
