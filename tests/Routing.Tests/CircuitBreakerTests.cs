using Microsoft.Extensions.Time.Testing;
using Payments.Api.Routing;

namespace Payments.Routing.Tests;

public sealed class CircuitBreakerTests
{
    private static readonly TimeSpan Recovery = TimeSpan.FromSeconds(5);
    private readonly FakeTimeProvider _time = new();

    [Fact]
    public void A_cluster_never_reached_is_open_until_its_first_answer_closes_it()
    {
        var breaker = new CircuitBreaker(3, Recovery, _time);
        var before = breaker.State;

        var changed = breaker.RecordSuccess();

        Assert.Equal(BreakerState.Open, before);
        Assert.Equal(BreakerState.Closed, changed);
        Assert.Equal(BreakerState.Closed, breaker.State);
    }

    [Fact]
    public void Failures_of_a_cluster_never_reached_keep_it_open()
    {
        var breaker = new CircuitBreaker(3, Recovery, _time);

        var changes = Enumerable.Range(0, 5).Select(_ => breaker.RecordFailure()).ToList();

        Assert.All(changes, Assert.Null);
        Assert.Equal(BreakerState.Open, breaker.State);
    }

    [Fact]
    public void Breaker_opens_at_the_threshold_of_consecutive_failures()
    {
        var breaker = Closed();

        var first = breaker.RecordFailure();
        var second = breaker.RecordFailure();
        var third = breaker.RecordFailure();

        Assert.Null(first);
        Assert.Null(second);
        Assert.Equal(BreakerState.Open, third);
        Assert.Equal(_time.GetUtcNow(), breaker.OpenedAt);
    }

    [Fact]
    public void An_answer_between_failures_keeps_the_breaker_closed()
    {
        var breaker = Closed();

        breaker.RecordFailure();
        breaker.RecordFailure();
        breaker.RecordSuccess();
        breaker.RecordFailure();
        breaker.RecordFailure();

        Assert.Equal(BreakerState.Closed, breaker.State);
    }

    [Fact]
    public void Open_breaker_closes_only_after_a_whole_recovery_period_of_answers()
    {
        var breaker = Opened();

        var recovering = breaker.RecordSuccess();
        _time.Advance(Recovery - TimeSpan.FromMilliseconds(1));
        var early = breaker.RecordSuccess();
        _time.Advance(TimeSpan.FromMilliseconds(1));
        var closed = breaker.RecordSuccess();

        Assert.Equal(BreakerState.Recovering, recovering);
        Assert.Null(early);
        Assert.Equal(BreakerState.Closed, closed);
        Assert.Null(breaker.OpenedAt);
    }

    [Fact]
    public void A_failure_while_recovering_starts_the_recovery_period_again()
    {
        var breaker = Opened();
        breaker.RecordSuccess();
        _time.Advance(TimeSpan.FromSeconds(4));

        var reopened = breaker.RecordFailure();
        breaker.RecordSuccess();
        _time.Advance(TimeSpan.FromSeconds(4));
        var stillRecovering = breaker.State;
        _time.Advance(TimeSpan.FromSeconds(1));
        var closed = breaker.RecordSuccess();

        Assert.Equal(BreakerState.Open, reopened);
        Assert.Equal(BreakerState.Recovering, stillRecovering);
        Assert.Equal(BreakerState.Closed, closed);
    }

    private CircuitBreaker Closed()
    {
        var breaker = new CircuitBreaker(3, Recovery, _time);
        breaker.RecordSuccess();
        return breaker;
    }

    private CircuitBreaker Opened()
    {
        var breaker = Closed();
        for (var i = 0; i < 3; i++)
        {
            breaker.RecordFailure();
        }

        Assert.Equal(BreakerState.Open, breaker.State);
        return breaker;
    }
}
