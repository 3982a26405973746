using System.Text.Json.Serialization;
using Payments.Accounts;

namespace Payments.Ledger.Changes;

/// <summary>Seq 1: the account opened with its initial balance and settings.</summary>
public sealed record AccountOpened(
    [property: JsonPropertyName("currency")] string Currency,
    [property: JsonPropertyName("initialBalance")] long InitialBalance,
    [property: JsonPropertyName("settings")] AccountSettings Settings) : LedgerChange(EntryKind.Open)
{
    public override long BalanceEffect() => InitialBalance;

    public override LedgerColumns Columns(LedgerEntry row) => new(InitialBalance, Currency);

    public override void Apply(AccountState account, LedgerEntry row)
    {
        account.Exists = true;
        account.Currency = Currency;
        account.ApplySettings(Settings);
    }
}
