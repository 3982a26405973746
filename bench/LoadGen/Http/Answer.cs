namespace Payments.LoadGen.Http;

/// <summary>What the API answered, reduced to what the report counts.</summary>
/// <param name="Label">The line of the decision mix: "approved", "declined: daily_limit_exceeded", "error: 503 unavailable", …</param>
/// <param name="Approved">A payment the API answered approved (first answer or replay): it must be in the ledger once.</param>
/// <param name="NewApproval">Approved now, not replayed: the durable approvals the throughput counts.</param>
public readonly record struct Answer(string Label, bool Approved, bool NewApproval, bool Replayed)
{
    /// <summary>Added to the label of a 503 or 429 that did not say when to retry.</summary>
    public const string NoRetryAfter = " without Retry-After";

    /// <summary>The answer of a request shed under load, as the contract wants it: 503 unavailable with Retry-After.</summary>
    public const string Shed = "error: 503 unavailable";

    public bool IsError => Label.StartsWith("error", StringComparison.Ordinal);

    public static Answer Error(string what) => new($"error: {what}", false, false, false);
}
