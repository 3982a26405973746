namespace Payments.Contracts;

/// <summary>The decision on a payment.</summary>
public enum PaymentStatus
{
    Approved = 0,
    Declined = 1,
}
