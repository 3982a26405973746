namespace Payments.Drill;

/// <summary>An account the drill's terminals pay from.</summary>
public sealed record DrillAccount(string AccountId, string Region);

/// <summary>
/// The final answer a terminal got for one payment after its retries with the same Idempotency-Key:
/// <c>approved</c> or <c>declined</c> (with the deciding region), or <c>unanswered</c> when the retry budget ran out.
/// <paramref name="AnsweredBy"/> is the region whose API gave the final answer (behind a front door, the one it chose).
/// </summary>
public sealed record PaymentOutcome(
    string AccountId,
    string HomeRegion,
    string Key,
    long Amount,
    string Result,
    string? DecidedBy,
    string? AnsweredBy,
    DateTimeOffset SentAt,
    DateTimeOffset AnsweredAt,
    int Attempts)
{
    public const string Approved = "approved";
    public const string Declined = "declined";
    public const string Unanswered = "unanswered";
}
