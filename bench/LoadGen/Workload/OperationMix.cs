namespace Payments.LoadGen.Workload;

/// <summary>Percentages of each kind of request in a workload.</summary>
/// <param name="Authorize">New authorizations (holds).</param>
/// <param name="HoldFollowUp">Increments, captures (partial and final) and reversals of pending authorizations.</param>
public sealed record MixShares(
    int SmallPayment, int OverCeiling, int BlockedCategory, int Retry, int Deposit, int Read, int Authorize, int HoldFollowUp)
{
    /// <summary>Mostly small payments, some over the per-payment ceiling or in a blocked category, some retries,
    /// deposits by the back office, balance reads, and authorizations with what follows them.</summary>
    public static readonly MixShares Realistic = new(70, 4, 1, 5, 2, 8, 5, 5);

    public static readonly MixShares PaymentsOnly = new(100, 0, 0, 0, 0, 0, 0, 0);

    /// <summary>The same mix for a system without holds (the baseline): the holds' share goes to small payments.</summary>
    public MixShares WithoutHolds => this with { SmallPayment = SmallPayment + Authorize + HoldFollowUp, Authorize = 0, HoldFollowUp = 0 };

    public int Total => SmallPayment + OverCeiling + BlockedCategory + Retry + Deposit + Read + Authorize + HoldFollowUp;

    /// <summary>The share of requests that are payments (new or retried).</summary>
    public double PaymentShare => (double)(SmallPayment + OverCeiling + BlockedCategory + Retry) / Total;
}

/// <summary>Draws the next request of a workload: the kind by <see cref="MixShares"/>, the account by popularity.</summary>
public sealed class OperationMix(
    Func<Random, AccountSpec> pickAccount, MixShares shares, string keyPrefix, RecentPayments recent, OpenHolds holds)
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

    private static readonly (string Merchant, string Mcc)[] HoldingMerchants =
    [
        ("Hotel du Lac", "7011"),
        ("Location Auto Gare", "7512"),
        ("Station Total Nord", "5542"),
        ("Restaurant du Port", "5812"),
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

        if ((roll -= shares.Authorize) < 0)
        {
            return Authorization(random);
        }

        if ((roll -= shares.HoldFollowUp) < 0)
        {
            return holds.Take(random) is { } hold ? FollowUp(random, hold) : Authorization(random);
        }

        var account = pickAccount(random).AccountId;
        return (roll -= shares.Deposit) < 0
            ? new Operation(OperationKind.Deposit, account, NewKey(), random.NextInt64(1_000, 100_001), "", "")
            : new Operation(OperationKind.Read, account, "", 0, "", "");
    }

    /// <summary>
    /// What follows an authorization: a final capture of part or all of what it holds (35 %), a partial capture (15 %), a
    /// full or partial reversal (20 %, 10 %), an increment (15 %), or a capture beyond the cap, which the API must
    /// refuse with 422 and record nothing (5 %).
    /// </summary>
    private Operation FollowUp(Random random, OpenHold hold)
    {
        var roll = random.Next(100);
        var (kind, amount, final) = roll switch
        {
            < 35 => (OperationKind.Capture, random.NextInt64(Math.Max(1, hold.Held / 2), hold.Held + 1), true),
            < 50 => (OperationKind.Capture, random.NextInt64(1, Math.Max(2, hold.Held / 2)), false),
            < 70 => (OperationKind.Reverse, 0L, false),
            < 80 => (OperationKind.Reverse, Math.Max(1, hold.Held / 2), false),
            < 95 => (OperationKind.Increment, random.NextInt64(500, 5_001), false),
            _ => (OperationKind.Capture, hold.Authorized - hold.Captured + random.NextInt64(1, 1_001), true),
        };
        return new Operation(kind, hold.AccountId, NewKey(), amount, "", "") { Hold = hold, Final = final };
    }

    private Operation Authorization(Random random)
    {
        var (merchant, mcc) = HoldingMerchants[random.Next(HoldingMerchants.Length)];
        return new Operation(OperationKind.Authorize, pickAccount(random).AccountId, NewKey(), random.NextInt64(1_000, 20_001), merchant, mcc);
    }

    private Operation Payment(Random random, long amount, string? mcc)
    {
        var (merchant, merchantMcc) = Merchants[random.Next(Merchants.Length)];
        return new Operation(OperationKind.Payment, pickAccount(random).AccountId, NewKey(), amount, merchant, mcc ?? merchantMcc);
    }

    private string NewKey() => $"{keyPrefix}-{Interlocked.Increment(ref _nextKey)}";
}
