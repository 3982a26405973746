namespace Payments.Contracts;

/// <summary>
/// New rules for a region, proposed by <see cref="Actor"/>. <see cref="RegionRules.Version"/> is the version the
/// actor read; <see cref="RegionRules.CalendarChange"/> is ignored (the grain works it out).
/// </summary>
[GenerateSerializer, Immutable, Alias("payments.RulesUpdate")]
public sealed record RulesUpdate(
    [property: Id(0)] RegionRules Rules,
    [property: Id(1)] string Actor);

/// <summary>How a rules update ended.</summary>
public enum RulesUpdateOutcome
{
    Updated = 0,
    UnknownRegion = 1,
    /// <summary>The rules changed since the actor read them: nothing was written.</summary>
    VersionConflict = 2,
    Invalid = 3,
    Unavailable = 4,
}

/// <summary>The outcome of a rules update: the rules after it, or the current ones on a version conflict.</summary>
[GenerateSerializer, Immutable, Alias("payments.RulesUpdateResult")]
public sealed record RulesUpdateResult(
    [property: Id(0)] RulesUpdateOutcome Outcome,
    [property: Id(1)] RegionRules? Rules,
    [property: Id(2)] ValidationErrors? Errors);
