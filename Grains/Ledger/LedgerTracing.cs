using System.Diagnostics;

namespace Payments.Ledger;

/// <summary>
/// Spans of the group commit, on the "Payments.Ledger" activity source. A batch holds the appends of many
/// requests but is one commit: its span is a child of the first append's request, so that trace runs from the
/// HTTP request down to the SQL, and links to the other appends' requests, whose traces point to it.
/// </summary>
public static class LedgerTracing
{
    public const string SourceName = "Payments.Ledger";
    private static readonly ActivitySource Source = new(SourceName);

    /// <summary>Starts the span of one commit; null when nobody listens.</summary>
    /// <param name="callers">The span context current at each append, in batch order (default when there was none).</param>
    public static Activity? StartCommit(IReadOnlyList<ActivityContext> callers)
    {
        if (!Source.HasListeners())
        {
            return null;
        }

        var links = callers.Skip(1).Where(caller => caller != default).Select(caller => new ActivityLink(caller));
        var activity = Source.StartActivity("ledger commit", ActivityKind.Internal, callers.Count > 0 ? callers[0] : default, links: links);
        activity?.SetTag("payments.ledger.batch.size", callers.Count);
        return activity;
    }
}
