namespace Payments.LoadGen.Http;

/// <summary>What the API answered, reduced to what the report counts.</summary>
/// <param name="Label">The line of the decision mix: "approved", "declined: daily_limit_exceeded", "capture", "refused: 422 capture_exceeds_authorization", "error: 503 unavailable", …</param>
/// <param name="Recorded">
/// What the request records was answered as recorded (first answer or replay): an approved payment or increment, a
/// pending authorization, a capture, a reversal, a deposit. It must be in the ledger once.
/// </param>
/// <param name="NewApproval">A payment approved now, not replayed: the durable approvals the throughput counts.</param>
public readonly record struct Answer(string Label, bool Recorded, bool NewApproval, bool Replayed)
{
    /// <summary>Added to the label of a 503 or 429 that did not say when to retry.</summary>
    public const string NoRetryAfter = " without Retry-After";

    /// <summary>The answer of a request shed under load, as the contract wants it: 503 unavailable with Retry-After.</summary>
    public const string Shed = "error: 503 unavailable";

    public bool IsError => Label.StartsWith("error", StringComparison.Ordinal);

    public static Answer Error(string what) => new($"error: {what}", false, false, false);

    /// <summary>A request the contract refuses by design (a capture beyond the cap: 422): a decision, not an error.</summary>
    public static Answer Refused(string what) => new($"refused: {what}", false, false, false);
}
