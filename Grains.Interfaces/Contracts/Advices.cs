namespace Payments.Contracts;

/// <summary>What the network decided on the bank's behalf.</summary>
public enum AdviceKind
{
    /// <summary>A single-message payment: posted.</summary>
    Payment = 0,
    /// <summary>An authorization: a hold from its decision on, captured, reversed or expired like any other.</summary>
    Authorization = 1,
}

/// <summary>
/// A decision the network already made (stand-in processing while the bank could not answer): recorded as it is, never
/// declined, counted in the period of <see cref="DecidedAt"/>. The same <see cref="NetworkReference"/> on the account
/// replays the first one.
/// </summary>
[GenerateSerializer, Immutable, Alias("payments.AdviceRequest")]
public sealed record AdviceRequest(
    [property: Id(0)] AdviceKind Kind,
    [property: Id(1)] long Amount,
    [property: Id(2)] string Currency,
    [property: Id(3)] string Merchant,
    [property: Id(4)] string Mcc,
    [property: Id(5)] DateTimeOffset DecidedAt,
    [property: Id(6)] string NetworkReference);

/// <summary>On a payment or authorization that an advice recorded: when the network decided it, and what it overran.</summary>
/// <param name="OverLimits">The ceilings (daily, weekly, monthly) the advice took past their limit.</param>
[GenerateSerializer, Immutable, Alias("payments.AdviceDetails")]
public sealed record AdviceDetails(
    [property: Id(0)] DateTimeOffset DecidedAt,
    [property: Id(1)] string NetworkReference,
    [property: Id(2)] IReadOnlyList<string> OverLimits)
{
    /// <summary>By value, the ceilings included: a replayed answer equals the first.</summary>
    public bool Equals(AdviceDetails? other) =>
        other is not null && (DecidedAt, NetworkReference) == (other.DecidedAt, other.NetworkReference)
        && OverLimits.SequenceEqual(other.OverLimits);

    public override int GetHashCode() => HashCode.Combine(DecidedAt, NetworkReference);

    /// <summary>
    /// The details as a record's JSON gives them (<c>advice</c>, <c>decidedAt</c>, <c>overLimits</c>; the network's
    /// reference is the record's id); null when it is no advice. An advice without its decision instant throws.
    /// </summary>
    public static AdviceDetails? FromJson(bool advice, DateTimeOffset? decidedAt, string id, IReadOnlyList<string>? overLimits) =>
        advice
            ? new(decidedAt ?? throw new System.Text.Json.JsonException("An advice's record needs its decidedAt."), id, overLimits ?? [])
            : null;
}

/// <summary>The outcome of an advice: the payment or the authorization it recorded (or recorded first, on a resend).</summary>
[GenerateSerializer, Immutable, Alias("payments.AdviceResult")]
public sealed record AdviceResult(
    [property: Id(0)] RecordOutcome Outcome,
    [property: Id(1)] PaymentRecord? Payment,
    [property: Id(2)] AuthorizationRecord? Authorization,
    [property: Id(3)] ValidationErrors? Errors);
