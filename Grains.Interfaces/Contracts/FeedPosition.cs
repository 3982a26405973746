using System.Globalization;

namespace Payments.Contracts;

/// <summary>
/// A place in the event feed: the committing transaction's id, then account and seq to order the rows of one
/// transaction. Written as <c>{transaction}.{seq}.{accountId}</c> (the account id has no dot); clients treat it as opaque.
/// </summary>
[GenerateSerializer, Immutable, Alias("payments.FeedPosition")]
public readonly record struct FeedPosition(
    [property: Id(0)] ulong Transaction,
    [property: Id(1)] string AccountId,
    [property: Id(2)] long Seq) : IComparable<FeedPosition>
{
    /// <summary>Before every event.</summary>
    public static FeedPosition Start { get; } = new(0, "", 0);

    public int CompareTo(FeedPosition other)
    {
        var byTransaction = Transaction.CompareTo(other.Transaction);
        if (byTransaction != 0)
        {
            return byTransaction;
        }

        var byAccount = string.CompareOrdinal(AccountId, other.AccountId);
        return byAccount != 0 ? byAccount : Seq.CompareTo(other.Seq);
    }

    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"{Transaction}.{Seq}.{AccountId}");

    /// <summary>Reads a cursor written by <see cref="ToString"/>; false for anything else.</summary>
    public static bool TryParse(string text, out FeedPosition position)
    {
        position = Start;
        var parts = text.Split('.', 3);
        if (parts.Length != 3
            || !ulong.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var transaction)
            || !long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var seq)
            || parts[2].Length > 64
            || !parts[2].All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_')
            || (parts[2].Length == 0) != (seq == 0))
        {
            return false;
        }

        position = new FeedPosition(transaction, parts[2], seq);
        return true;
    }
}
