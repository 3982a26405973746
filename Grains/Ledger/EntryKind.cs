using System.Collections.Frozen;

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
    /// <summary>An authorization decided: approved (a hold) or declined.</summary>
    Authorization = 4,
    /// <summary>More money on a pending authorization's hold, approved or declined.</summary>
    Increment = 5,
    Capture = 6,
    Reversal = 7,
    /// <summary>A hold released by time at its expiry.</summary>
    Expiry = 8,
    /// <summary>Money a merchant gave back.</summary>
    Refund = 9,
    /// <summary>A payment or an authorization the network decided on the bank's behalf.</summary>
    Advice = 10,
}

/// <summary>The names of <see cref="EntryKind"/> in the ledger's <c>kind</c> column: a wire and storage contract.</summary>
public static class EntryKinds
{
    private static readonly FrozenDictionary<EntryKind, string> Names = new Dictionary<EntryKind, string>
    {
        [EntryKind.Open] = "open",
        [EntryKind.Payment] = "payment",
        [EntryKind.Deposit] = "deposit",
        [EntryKind.Settings] = "settings",
        [EntryKind.Authorization] = "authorization",
        [EntryKind.Increment] = "increment",
        [EntryKind.Capture] = "capture",
        [EntryKind.Reversal] = "reversal",
        [EntryKind.Expiry] = "expiry",
        [EntryKind.Refund] = "refund",
        [EntryKind.Advice] = "advice",
    }.ToFrozenDictionary();

    private static readonly FrozenDictionary<string, EntryKind> Kinds =
        Names.ToFrozenDictionary(pair => pair.Value, pair => pair.Key, StringComparer.Ordinal);

    public static string Name(EntryKind kind) =>
        Names.TryGetValue(kind, out var name) ? name : throw new ArgumentOutOfRangeException(nameof(kind), kind, "No ledger name.");

    public static EntryKind Parse(string name) =>
        Kinds.TryGetValue(name, out var kind) ? kind : throw new InvalidDataException($"Unknown ledger row kind '{name}'.");
}
