namespace Payments.Accounts;

/// <summary>How often an account with unsaved changes writes its snapshot (the ledger is the truth meanwhile).</summary>
public sealed class SnapshotOptions
{
    public TimeSpan Period { get; set; } = TimeSpan.FromMinutes(1);
}
