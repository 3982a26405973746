using System.Text.Json.Serialization;
using Payments.Accounts;

namespace Payments.Ledger.Changes;

/// <summary>A credit by the bank's back office.</summary>
public sealed record DepositMade(
    [property: JsonPropertyName("amount")] long Amount,
    [property: JsonPropertyName("currency")] string Currency,
    [property: JsonPropertyName("reference")] string Reference) : LedgerChange(EntryKind.Deposit)
{
    public override long BalanceEffect() => Amount;

    public override LedgerColumns Columns(LedgerEntry row) => new(Amount, Currency, Reference: Reference);

    public override void Apply(AccountState account, LedgerEntry row)
    {
    }
}
