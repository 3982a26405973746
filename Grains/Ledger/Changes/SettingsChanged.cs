using System.Text.Json.Serialization;
using Payments.Accounts;

namespace Payments.Ledger.Changes;

/// <summary>The account's own limits or status changed; <see cref="Settings"/> are the settings after the change.</summary>
public sealed record SettingsChanged(
    [property: JsonPropertyName("currency")] string Currency,
    [property: JsonPropertyName("settings")] AccountSettings Settings) : LedgerChange(EntryKind.Settings)
{
    public override LedgerColumns Columns(LedgerEntry row) => new(0, Currency);

    public override void Apply(AccountState account, LedgerEntry row) => account.ApplySettings(Settings);
}
