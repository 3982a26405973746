namespace Payments.Contracts;

/// <summary>Lifecycle of an account: only an active account can be debited.</summary>
public enum AccountStatus
{
    Active = 0,
    Frozen = 1,
    Closed = 2,
}
