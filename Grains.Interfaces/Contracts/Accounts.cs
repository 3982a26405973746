namespace Payments.Contracts;

/// <summary>Opens an account in its home region with an initial balance.</summary>
[GenerateSerializer, Immutable, Alias("payments.OpenAccountRequest")]
public sealed record OpenAccountRequest(
    [property: Id(0)] string Region,
    [property: Id(1)] string Currency,
    [property: Id(2)] long InitialBalance,
    [property: Id(3)] AccountLimits Limits);

/// <summary>How an open request ended.</summary>
public enum OpenOutcome
{
    Created = 0,
    AlreadyExists = 1,
    UnknownRegion = 2,
    Invalid = 3,
    Unavailable = 4,
}

/// <summary>The outcome of an open request, with the new account's view when created.</summary>
[GenerateSerializer, Immutable, Alias("payments.OpenAccountResult")]
public sealed record OpenAccountResult(
    [property: Id(0)] OpenOutcome Outcome,
    [property: Id(1)] AccountView? Account,
    [property: Id(2)] ValidationErrors? Errors);

/// <summary>Changes an account's own limits (only the fields set) and/or its status.</summary>
[GenerateSerializer, Immutable, Alias("payments.AccountUpdate")]
public sealed record AccountUpdate(
    [property: Id(0)] AccountLimits? Limits,
    [property: Id(1)] AccountStatus? Status);

/// <summary>How an update ended.</summary>
public enum UpdateOutcome
{
    Updated = 0,
    NotFound = 1,
    Invalid = 2,
    Unavailable = 3,
}

/// <summary>The outcome of an update, with the account's view after it.</summary>
[GenerateSerializer, Immutable, Alias("payments.UpdateAccountResult")]
public sealed record UpdateAccountResult(
    [property: Id(0)] UpdateOutcome Outcome,
    [property: Id(1)] AccountView? Account,
    [property: Id(2)] ValidationErrors? Errors);

/// <summary>
/// The account as a client sees it: posted balance, what pending authorizations hold, what is available
/// (balance - held), whether the balance is below zero, and each ceiling with what was spent in its current period.
/// </summary>
[GenerateSerializer, Immutable, Alias("payments.AccountView")]
public sealed record AccountView(
    [property: Id(0)] string AccountId,
    [property: Id(1)] string Region,
    [property: Id(2)] string Currency,
    [property: Id(3)] AccountStatus Status,
    [property: Id(4)] long Balance,
    [property: Id(5)] long Version,
    [property: Id(6)] LimitsView Limits,
    [property: Id(7)] long Held,
    [property: Id(8)] long Available,
    [property: Id(9)] bool Overdrawn);

/// <summary>The account's ceilings and their current periods.</summary>
[GenerateSerializer, Immutable, Alias("payments.LimitsView")]
public sealed record LimitsView(
    [property: Id(0)] long PerPayment,
    [property: Id(1)] PeriodView Daily,
    [property: Id(2)] PeriodView Weekly,
    [property: Id(3)] PeriodView Monthly);

/// <summary>One ceiling: its limit, what was spent in the current period, and when that period started and ends.</summary>
[GenerateSerializer, Immutable, Alias("payments.PeriodView")]
public sealed record PeriodView(
    [property: Id(0)] long Limit,
    [property: Id(1)] long Spent,
    [property: Id(2)] DateTimeOffset PeriodStart,
    [property: Id(3)] DateTimeOffset ResetsAt);
