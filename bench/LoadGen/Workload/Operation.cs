namespace Payments.LoadGen.Workload;

public enum OperationKind
{
    Payment,
    Deposit,
    Read,
    Authorize,
    Increment,
    Capture,
    Reverse,
}

/// <summary>
/// One request of the workload. <see cref="Key"/> is the Idempotency-Key of what it records (a payment, a deposit, an
/// authorization, an increment, a capture, a reversal), which the API makes its id.
/// </summary>
/// <param name="Amount">Minor units; for a reversal 0 means everything still held.</param>
public sealed record Operation(OperationKind Kind, string AccountId, string Key, long Amount, string Merchant, string Mcc)
{
    /// <summary>For a retry: whether the first answer was an approval (a replay must say the same).</summary>
    public bool? FirstApproved { get; init; }

    public bool IsRetry => FirstApproved is not null;

    /// <summary>For an increment, a capture or a reversal: the authorization it acts on, as the load generator last saw it.</summary>
    public OpenHold? Hold { get; init; }

    /// <summary>For a capture: the last one, which releases what is still held.</summary>
    public bool Final { get; init; }

    /// <summary>The ledger's kind of the row the request records.</summary>
    public string LedgerKind => Kind switch
    {
        OperationKind.Payment => "payment",
        OperationKind.Deposit => "deposit",
        OperationKind.Authorize => "authorization",
        OperationKind.Increment => "increment",
        OperationKind.Capture => "capture",
        OperationKind.Reverse => "reversal",
        OperationKind.Read => throw new InvalidOperationException("A read records nothing."),
        _ => throw new ArgumentOutOfRangeException(nameof(Kind), Kind, "No such operation."),
    };
}
