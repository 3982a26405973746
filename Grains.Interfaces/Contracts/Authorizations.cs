using System.Text.Json.Serialization;

namespace Payments.Contracts;

/// <summary>An authorization to decide: a hold on the account's money until it is captured, reversed or expires.</summary>
[GenerateSerializer, Immutable, Alias("payments.AuthorizationRequest")]
public sealed record AuthorizationRequest(
    [property: Id(0)] long Amount,
    [property: Id(1)] string Currency,
    [property: Id(2)] string Merchant,
    [property: Id(3)] string Mcc,
    [property: Id(4)] string? IdempotencyKey);

/// <summary>More money on a pending authorization's hold (a hotel stay that grows).</summary>
[GenerateSerializer, Immutable, Alias("payments.IncrementRequest")]
public sealed record IncrementRequest(
    [property: Id(0)] string AuthorizationId,
    [property: Id(1)] long Amount,
    [property: Id(2)] string? IdempotencyKey);

/// <summary>
/// A capture (clearing) of an authorization; <see cref="Final"/> releases what is still held. A
/// <see cref="Force"/>d capture (the network's clearing, which is final) is posted whatever the cap.
/// </summary>
[GenerateSerializer, Immutable, Alias("payments.CaptureRequest")]
public sealed record CaptureRequest(
    [property: Id(0)] string AuthorizationId,
    [property: Id(1)] long Amount,
    [property: Id(2)] bool Final,
    [property: Id(3)] string? IdempotencyKey,
    [property: Id(4)] bool Force = false);

/// <summary>Gives back part of a hold, or all of it when <see cref="Amount"/> is null.</summary>
[GenerateSerializer, Immutable, Alias("payments.ReversalRequest")]
public sealed record ReversalRequest(
    [property: Id(0)] string AuthorizationId,
    [property: Id(1)] long? Amount,
    [property: Id(2)] string? IdempotencyKey);

/// <summary>Where an authorization stands.</summary>
public enum AuthorizationStatus
{
    /// <summary>Something is held and no final capture was made.</summary>
    Pending = 0,
    /// <summary>Nothing held any more, and something was captured.</summary>
    Closed = 1,
    /// <summary>Nothing held any more, released by reversals, nothing captured.</summary>
    Reversed = 2,
    /// <summary>Released by time at its expiry, nothing captured.</summary>
    Expired = 3,
    /// <summary>Refused when it was asked for.</summary>
    Declined = 4,
}

/// <summary>An authorization as the API answers it, as of a moment (its status turns expired at <see cref="ExpiresAt"/>).</summary>
[GenerateSerializer, Immutable, Alias("payments.AuthorizationRecord")]
public sealed record AuthorizationRecord(
    [property: Id(0)] string AuthorizationId,
    [property: Id(1)] string AccountId,
    [property: Id(2)] long Amount,
    [property: Id(3)] string Currency,
    [property: Id(4)] string Merchant,
    [property: Id(5)] string Mcc,
    [property: Id(6)] AuthorizationStatus Status,
    [property: Id(7)] DeclineReason? DeclineReason,
    [property: Id(8)] long Held,
    [property: Id(9)] long Captured,
    [property: Id(10)] long Released,
    [property: Id(11)] long AvailableAfter,
    [property: Id(12)] DateTimeOffset? ExpiresAt,
    [property: Id(13)] DateTimeOffset CreatedAt,
    [property: Id(14)] string DecidedBy,
    [property: Id(15), JsonIgnore] AdviceDetails? Network = null)
{
    /// <summary>The authorization as JSON has it (the contract's fields; an advice's reference is the authorization's id).</summary>
    [JsonConstructor]
    public AuthorizationRecord(
        string authorizationId, string accountId, long amount, string currency, string merchant, string mcc, AuthorizationStatus status,
        DeclineReason? declineReason, long held, long captured, long released, long availableAfter, DateTimeOffset? expiresAt,
        DateTimeOffset createdAt, string decidedBy, bool advice, DateTimeOffset? decidedAt, IReadOnlyList<string>? overLimits)
        : this(authorizationId, accountId, amount, currency, merchant, mcc, status, declineReason, held, captured, released,
            availableAfter, expiresAt, createdAt, decidedBy, AdviceDetails.FromJson(advice, decidedAt, authorizationId, overLimits))
    {
    }

    /// <summary>True on what the network decided (an advice), false on what the bank decided itself.</summary>
    [JsonPropertyName("advice")] public bool Advice => Network is not null;

    /// <summary>An advice's: when the network decided it.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public DateTimeOffset? DecidedAt => Network?.DecidedAt;

    /// <summary>An advice's: the ceilings (daily, weekly, monthly) it took past their limit.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public IReadOnlyList<string>? OverLimits => Network?.OverLimits;
}

/// <summary>The outcome of an authorization request.</summary>
[GenerateSerializer, Immutable, Alias("payments.AuthorizationResult")]
public sealed record AuthorizationResult(
    [property: Id(0)] RecordOutcome Outcome,
    [property: Id(1)] AuthorizationRecord? Authorization,
    [property: Id(2)] ValidationErrors? Errors);

/// <summary>A page of authorizations, newest first; <see cref="NextBeforeSeq"/> continues it.</summary>
[GenerateSerializer, Immutable, Alias("payments.AuthorizationPage")]
public sealed record AuthorizationPage(
    [property: Id(0)] IReadOnlyList<AuthorizationRecord> Items,
    [property: Id(1)] long? NextBeforeSeq);

/// <summary>A recorded increment, approved or declined, and its authorization after it.</summary>
[GenerateSerializer, Immutable, Alias("payments.IncrementRecord")]
public sealed record IncrementRecord(
    [property: Id(0)] string IncrementId,
    [property: Id(1)] string AuthorizationId,
    [property: Id(2)] long Amount,
    [property: Id(3)] PaymentStatus Status,
    [property: Id(4)] DeclineReason? DeclineReason,
    [property: Id(5)] DateTimeOffset CreatedAt,
    [property: Id(6)] string DecidedBy,
    [property: Id(7)] AuthorizationRecord Authorization);

/// <summary>The outcome of an increment request.</summary>
[GenerateSerializer, Immutable, Alias("payments.IncrementResult")]
public sealed record IncrementResult(
    [property: Id(0)] RecordOutcome Outcome,
    [property: Id(1)] IncrementRecord? Increment,
    [property: Id(2)] ValidationErrors? Errors);

/// <summary>A recorded capture and its authorization after it.</summary>
/// <param name="ExceedsHold">Part of the capture was beyond what the authorization still held, charged as new money.</param>
/// <param name="OverLimits">The ceilings (daily, weekly, monthly) that part overran.</param>
/// <param name="Forced">The network's capture, posted whatever the cap.</param>
[GenerateSerializer, Immutable, Alias("payments.CaptureRecord")]
public sealed record CaptureRecord(
    [property: Id(0)] string CaptureId,
    [property: Id(1)] string AuthorizationId,
    [property: Id(2)] long Amount,
    [property: Id(3)] long BalanceAfter,
    [property: Id(4)] DateTimeOffset CreatedAt,
    [property: Id(5)] string DecidedBy,
    [property: Id(6)] bool ExceedsHold,
    [property: Id(7)] IReadOnlyList<string> OverLimits,
    [property: Id(8)] AuthorizationRecord Authorization,
    [property: Id(9)] bool Forced = false);

/// <summary>The outcome of a capture request.</summary>
[GenerateSerializer, Immutable, Alias("payments.CaptureResult")]
public sealed record CaptureResult(
    [property: Id(0)] RecordOutcome Outcome,
    [property: Id(1)] CaptureRecord? Capture,
    [property: Id(2)] ValidationErrors? Errors);

/// <summary>A recorded reversal and its authorization after it.</summary>
[GenerateSerializer, Immutable, Alias("payments.ReversalRecord")]
public sealed record ReversalRecord(
    [property: Id(0)] string ReversalId,
    [property: Id(1)] long Amount,
    [property: Id(2)] AuthorizationRecord Authorization);

/// <summary>The outcome of a reversal request.</summary>
[GenerateSerializer, Immutable, Alias("payments.ReversalResult")]
public sealed record ReversalResult(
    [property: Id(0)] RecordOutcome Outcome,
    [property: Id(1)] ReversalRecord? Reversal,
    [property: Id(2)] ValidationErrors? Errors);
