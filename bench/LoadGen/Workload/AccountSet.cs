namespace Payments.LoadGen.Workload;

/// <summary>An account the load generator opens: its id, initial balance and ceilings (minor units).</summary>
public sealed record AccountSpec(string AccountId, long InitialBalance, long PerPayment, long Daily, long Weekly, long Monthly);

/// <summary>
/// The accounts of one run, drawn by Zipf popularity. Balances are large so that most payments are approved; one
/// account in <see cref="TightEvery"/> has a small daily ceiling, so the busy ones among them meet it.
/// </summary>
public sealed class AccountSet
{
    public const long PerPaymentCeiling = 50_000;
    public const int TightEvery = 50;
    private const long Balance = 1_000_000_000;
    private const long TightDaily = 20_000;
    private readonly ZipfDistribution _popularity;

    public AccountSet(string prefix, int count, double zipfExponent)
    {
        _popularity = new ZipfDistribution(count, zipfExponent);
        All = Enumerable.Range(0, count)
            .Select(rank => new AccountSpec(
                $"{prefix}-a{rank}", Balance, PerPaymentCeiling,
                rank % TightEvery == TightEvery - 1 ? TightDaily : Balance, Balance, Balance))
            .ToList();
    }

    /// <summary>Hottest first.</summary>
    public IReadOnlyList<AccountSpec> All { get; }

    /// <summary>The share of the traffic that goes to the hottest account.</summary>
    public double HottestShare => _popularity.Share(0);

    public AccountSpec Pick(Random random) => All[_popularity.Next(random)];

    /// <summary>The account of the hot-account scenario: every terminal pays it.</summary>
    public static AccountSpec Hot(string prefix) =>
        new($"{prefix}-hot", 100 * Balance, PerPaymentCeiling, 100 * Balance, 100 * Balance, 100 * Balance);
}
