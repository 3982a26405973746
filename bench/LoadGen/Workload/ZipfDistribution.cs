namespace Payments.LoadGen.Workload;

/// <summary>
/// Ranks 0..n-1 drawn with probability proportional to 1/(rank+1)^s: a few accounts are busy, most are quiet,
/// as with real card holders.
/// </summary>
public sealed class ZipfDistribution
{
    private readonly double[] _cumulative;

    public ZipfDistribution(int count, double exponent)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(exponent);
        _cumulative = new double[count];
        var sum = 0.0;
        for (var rank = 0; rank < count; rank++)
        {
            sum += 1.0 / Math.Pow(rank + 1, exponent);
            _cumulative[rank] = sum;
        }

        for (var rank = 0; rank < count; rank++)
        {
            _cumulative[rank] /= sum;
        }
    }

    /// <summary>The share of all draws that goes to <paramref name="rank"/>.</summary>
    public double Share(int rank) => _cumulative[rank] - (rank == 0 ? 0 : _cumulative[rank - 1]);

    public int Next(Random random)
    {
        var index = Array.BinarySearch(_cumulative, random.NextDouble());
        return Math.Min(index >= 0 ? index : ~index, _cumulative.Length - 1);
    }
}
