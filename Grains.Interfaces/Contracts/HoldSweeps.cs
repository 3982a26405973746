namespace Payments.Contracts;

/// <summary>What one pass of a region's expiry sweep did.</summary>
/// <param name="Due">Holds found due and not released yet.</param>
/// <param name="Accounts">Accounts asked to record their releases.</param>
/// <param name="Failed">Accounts that could not be asked (the next pass asks again).</param>
/// <param name="More">The pass stopped at its bound with more holds due.</param>
[GenerateSerializer, Immutable, Alias("payments.HoldSweep")]
public sealed record HoldSweep(
    [property: Id(0)] int Due,
    [property: Id(1)] int Accounts,
    [property: Id(2)] int Failed,
    [property: Id(3)] bool More);
