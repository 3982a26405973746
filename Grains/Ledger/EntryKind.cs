namespace Payments.Ledger;

/// <summary>What a ledger row records. Every change to an account is one row.</summary>
public enum EntryKind
{
    /// <summary>Seq 1: the account opened, with its initial balance and settings.</summary>
    Open = 0,
    Payment = 1,
    Deposit = 2,
    /// <summary>The account's own limits or status changed.</summary>
    Settings = 3,
}
