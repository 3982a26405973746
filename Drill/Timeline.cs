using System.Globalization;
using System.Text;

namespace Payments.Drill;

/// <summary>One line of a drill's timeline: for each home region, how its payments were answered and by whom.</summary>
public static class Timeline
{
    public static string Describe(IReadOnlyCollection<PaymentOutcome> outcomes, IEnumerable<string> regions)
    {
        var line = new StringBuilder();
        foreach (var region in regions.Order(StringComparer.Ordinal))
        {
            var mine = outcomes.Where(o => o.HomeRegion == region).ToList();
            var decided = mine.Where(o => o.DecidedBy is not null)
                .GroupBy(o => o.DecidedBy!, StringComparer.Ordinal)
                .OrderBy(g => g.Key, StringComparer.Ordinal)
                .Select(g => $"{g.Key} {g.Count()}");
            line.Append(CultureInfo.InvariantCulture,
                $"| {region} accounts: {mine.Count(o => o.Result == PaymentOutcome.Approved),4} approved " +
                $"{mine.Count(o => o.Result == PaymentOutcome.Declined),3} declined " +
                $"{mine.Count(o => o.Result == PaymentOutcome.Unanswered),3} unanswered, " +
                $"retried {mine.Count(o => o.Attempts > 1),3}, decided by [{string.Join(", ", decided)}] ");
        }

        return line.ToString().TrimEnd();
    }
}
