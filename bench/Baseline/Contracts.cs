namespace Payments.Baseline;

/// <summary>The bodies and answers of api.md that the baseline serves, with the same JSON shape.</summary>
public sealed record CreateAccountBody(string? AccountId, string? Currency, long? InitialBalance, LimitsBody? Limits);

public sealed record LimitsBody(long? PerPayment, long? Daily, long? Weekly, long? Monthly);

public sealed record PaymentBody(long? Amount, string? Currency, string? Merchant, string? Mcc);

public sealed record DepositBody(long? Amount, string? Currency, string? Reference);

public sealed record AccountAnswer(string AccountId, string Currency, long Balance);

public sealed record PaymentAnswer(
    string PaymentId, string AccountId, long Amount, string Currency, string Merchant, string Mcc, string Status,
    string? DeclineReason, long BalanceAfter, DateTimeOffset CreatedAt, string DecidedBy);

public sealed record DepositAnswer(
    string DepositId, string AccountId, long Amount, string Currency, string Reference, long BalanceAfter,
    DateTimeOffset CreatedAt, string DecidedBy);

/// <summary>How a write ended: created now, replayed from the ledger, or refused.</summary>
public enum WriteOutcome
{
    Created,
    Replayed,
    NotFound,
    KeyReused,
}
