using System.Globalization;
using Payments.Integration.Tests.Infrastructure;

namespace Payments.Integration.Tests.Failover;

/// <summary>
/// What the terminals lived through from a fault on, read from every attempt they made: how long until a payment was
/// approved again after the first failed attempt (RTO; zero when no attempt failed), how many attempts answered 503 or
/// got no answer, and the longest spell during which attempts failed and none succeeded.
/// </summary>
public sealed record Outage(TimeSpan Rto, int Unavailable, int NoAnswer, TimeSpan LongestFailingSpell)
{
    public static Outage Since(DateTimeOffset fault, IEnumerable<Answered> answers)
    {
        var attempts = answers
            .SelectMany(answer => answer.Attempts.Select((attempt, i) =>
                (attempt.At, attempt.Status, Approved: i == answer.Attempts.Count - 1 && answer.Outcome == "approved")))
            .Where(attempt => attempt.At >= fault)
            .OrderBy(attempt => attempt.At)
            .ToList();
        var firstFailure = attempts.Where(attempt => attempt.Status is 0 or >= 500).Select(attempt => (DateTimeOffset?)attempt.At).FirstOrDefault();
        var recovered = attempts.Where(attempt => attempt.Approved && attempt.At > firstFailure).Select(attempt => (DateTimeOffset?)attempt.At).FirstOrDefault();
        var rto = firstFailure is null ? TimeSpan.Zero : recovered is { } approvedAt ? approvedAt - fault : TimeSpan.MaxValue;
        var longest = TimeSpan.Zero;
        DateTimeOffset? failingSince = null;
        foreach (var (at, status, _) in attempts)
        {
            if (status is 0 or >= 500)
            {
                failingSince ??= at;
            }
            else if (failingSince is { } since)
            {
                longest = at - since > longest ? at - since : longest;
                failingSince = null;
            }
        }

        return new Outage(rto, attempts.Count(a => a.Status == 503), attempts.Count(a => a.Status == 0), longest);
    }

    public string Describe() => string.Create(CultureInfo.InvariantCulture,
        $"RTO {Rto.TotalSeconds:0.00} s (fault → first payment approved after the first failed attempt); " +
        $"{Unavailable} answers 503, {NoAnswer} attempts unanswered; longest failing spell {LongestFailingSpell.TotalSeconds:0.00} s");
}
