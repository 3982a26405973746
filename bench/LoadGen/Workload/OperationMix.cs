namespace Payments.LoadGen.Workload;

/// <summary>Percentages of each kind of request in a workload.</summary>
public sealed record MixShares(int SmallPayment, int OverCeiling, int BlockedCategory, int Retry, int Deposit, int Read)
{
    /// <summary>Mostly small payments, some over the per-payment ceiling or in a blocked category, some retries,
    /// deposits by the back office, balance reads.</summary>
    public static readonly MixShares Realistic = new(80, 4, 1, 5, 2, 8);

    public static readonly MixShares PaymentsOnly = new(100, 0, 0, 0, 0, 0);

    public int Total => SmallPayment + OverCeiling + BlockedCategory + Retry + Deposit + Read;

    /// <summary>The share of requests that are payments (new or retried).</summary>
    public double PaymentShare => (double)(SmallPayment + OverCeiling + BlockedCategory + Retry) / Total;
}

/// <summary>Draws the next request of a workload: the kind by <see cref="MixShares"/>, the account by popularity.</summary>
public sealed class OperationMix(Func<Random, AccountSpec> pickAccount, MixShares shares, string keyPrefix, RecentPayments recent)
{
    private const string BlockedMcc = "7995";
    private static readonly (string Merchant, string Mcc)[] Merchants =
    [
        ("Boulangerie du Port", "5411"),
        ("Cafe de la Gare", "5812"),
        ("Metro Ticket Machine", "4111"),
        ("Librairie Centrale", "5942"),
        ("Pharmacie du Marche", "5912"),
    ];

    private long _nextKey;

    public Operation Next(Random random)
    {
        var roll = random.Next(shares.Total);
        if ((roll -= shares.SmallPayment) < 0)
        {
            return Payment(random, random.NextInt64(100, 5_001), null);
        }

        if ((roll -= shares.OverCeiling) < 0)
        {
            return Payment(random, random.NextInt64(AccountSet.PerPaymentCeiling + 1, 2 * AccountSet.PerPaymentCeiling), null);
        }

        if ((roll -= shares.BlockedCategory) < 0)
        {
            return Payment(random, random.NextInt64(100, 5_001), BlockedMcc);
        }

        if ((roll -= shares.Retry) < 0)
        {
            return recent.PickRetry(random) ?? Payment(random, random.NextInt64(100, 5_001), null);
        }

        var account = pickAccount(random).AccountId;
        return (roll -= shares.Deposit) < 0
            ? new Operation(OperationKind.Deposit, account, NewKey(), random.NextInt64(1_000, 100_001), "", "")
            : new Operation(OperationKind.Read, account, "", 0, "", "");
    }

    private Operation Payment(Random random, long amount, string? mcc)
    {
        var (merchant, merchantMcc) = Merchants[random.Next(Merchants.Length)];
        return new Operation(OperationKind.Payment, pickAccount(random).AccountId, NewKey(), amount, merchant, mcc ?? merchantMcc);
    }

    private string NewKey() => $"{keyPrefix}-{Interlocked.Increment(ref _nextKey)}";
}
