namespace Payments.LoadGen.Workload;

public enum OperationKind
{
    Payment,
    Deposit,
    Read,
}

/// <summary>One request of the workload. <see cref="Key"/> is the Idempotency-Key of a payment or deposit.</summary>
public sealed record Operation(OperationKind Kind, string AccountId, string Key, long Amount, string Merchant, string Mcc)
{
    /// <summary>For a retry: whether the first answer was an approval (a replay must say the same).</summary>
    public bool? FirstApproved { get; init; }

    public bool IsRetry => FirstApproved is not null;
}
