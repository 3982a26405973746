namespace Payments.Contracts;

/// <summary>What one pass of a region's expiry sweep did.</summary>
/// <param name="Due">Holds found due and not released yet.</param>
/// <param name="Accounts">Accounts asked to record their releases.</param>
/// <param name="Failed">Accounts that could not be asked (the next pass asks again).</param>
/// <param name="More">The pass stopped at its bound with more holds due.</param>
/// <param name="TakenOver">Other regions whose accounts the pass swept too, because their own sweep had stopped.</param>
[GenerateSerializer, Immutable, Alias("payments.HoldSweep")]
public sealed record HoldSweep(
    [property: Id(0)] int Due,
    [property: Id(1)] int Accounts,
    [property: Id(2)] int Failed,
    [property: Id(3)] bool More,
    [property: Id(4)] IReadOnlyList<string>? TakenOver = null)
{
    /// <summary>This pass and <paramref name="other"/>'s, made for <paramref name="region"/>, together.</summary>
    public HoldSweep With(HoldSweep other, string region) => new(
        Due + other.Due, Accounts + other.Accounts, Failed + other.Failed, More || other.More, [.. TakenOver ?? [], region]);
}
