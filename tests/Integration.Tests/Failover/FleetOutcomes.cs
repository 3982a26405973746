using System.Diagnostics;
using Payments.Drill;

namespace Payments.Integration.Tests.Failover;

/// <summary>Waiting on a running <see cref="TerminalFleet"/>'s answers.</summary>
public static class FleetOutcomes
{
    /// <summary>The first outcome matching <paramref name="match"/>, waiting for it as the load goes on.</summary>
    public static async Task<PaymentOutcome> WaitForFirstAsync(this TerminalFleet fleet, Func<PaymentOutcome, bool> match, TimeSpan within)
    {
        var waited = Stopwatch.StartNew();
        while (waited.Elapsed < within)
        {
            if (fleet.Outcomes.Where(match).OrderBy(o => o.AnsweredAt).FirstOrDefault() is { } first)
            {
                return first;
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"No matching payment within {within}.");
    }
}
