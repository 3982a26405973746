using System.Globalization;
using System.Text;
using FsCheck;
using FsCheck.Fluent;
using Payments.Contracts;

namespace Payments.Grains.Tests.Properties;

/// <summary>One thing that happens to an account in a generated scenario.</summary>
public abstract record Command;

public sealed record PayCommand(long Amount, string Currency, string Mcc) : Command;

public sealed record DepositCommand(long Amount, string Currency) : Command;

public sealed record ChangeLimitsCommand(AccountLimits Change) : Command;

public sealed record ChangeStatusCommand(AccountStatus Status) : Command;

/// <summary>Which bound a <see cref="PayToBoundCommand"/> aims at.</summary>
public enum Bound
{
    PerPayment,
    Balance,
    Daily,
    Weekly,
    Monthly,
}

/// <summary>A payment of exactly what is left under <see cref="Target"/>, plus <see cref="Offset"/>: the edges of each check.</summary>
public sealed record PayToBoundCommand(Bound Target, int Offset) : Command;

public sealed record AuthorizeCommand(long Amount, string Mcc) : Command;

/// <summary><see cref="Pick"/> chooses one of the authorizations made so far (modulo their number).</summary>
public sealed record IncrementCommand(int Pick, long Amount) : Command;

/// <summary>A capture of <see cref="Percent"/> of what was authorized (with increments), at least 1.</summary>
public sealed record CaptureCommand(int Pick, int Percent, bool Final, bool Force) : Command;

/// <summary>A reversal of <see cref="Percent"/> of what is held, or of everything when null.</summary>
public sealed record ReverseCommand(int Pick, int? Percent) : Command;

/// <summary>A refund of one of the payments and captures so far (modulo their number), or of none when null.</summary>
public sealed record RefundCommand(int? Pick, long Amount) : Command;

/// <summary>The clock moves forward by <see cref="Duration"/>.</summary>
public sealed record WaitCommand(TimeSpan Duration) : Command;

/// <summary>The clock moves to the next daily reset, shifted by <see cref="OffsetSeconds"/> (just before, at, just after).</summary>
public sealed record WaitForResetCommand(int OffsetSeconds) : Command;

/// <summary>An account opened in a region at <see cref="Start"/>, then the commands in order.</summary>
public sealed record Scenario(
    string TimeZone, int ResetHour, DateTimeOffset Start, long InitialBalance, AccountLimits Limits, IReadOnlyList<Command> Commands)
{
    public override string ToString()
    {
        var text = new StringBuilder()
            .Append(CultureInfo.InvariantCulture, $"{TimeZone} reset {ResetHour}h, from {Start:O}, balance {InitialBalance}, {Limits}");
        foreach (var command in Commands)
        {
            text.Append("\n  ").Append(command);
        }

        return text.ToString();
    }
}

/// <summary>Generators of scenarios: amounts around and over the ceilings, other currencies, a blocked MCC, clock moves across DST.</summary>
internal static class ScenarioGenerators
{
    private static readonly (string Zone, int ResetHour)[] Calendars =
    [
        ("Europe/Paris", 3), ("Europe/Paris", 2), ("America/New_York", 2), ("America/New_York", 1),
        ("Australia/Lord_Howe", 2), ("UTC", 0), ("Asia/Kolkata", 23),
    ];

    // Near DST changes in Paris, New York and Lord Howe, and month and year ends.
    private static readonly DateTimeOffset[] InterestingStarts =
    [
        new(2026, 3, 27, 12, 0, 0, TimeSpan.Zero), new(2026, 10, 23, 12, 0, 0, TimeSpan.Zero),
        new(2026, 3, 6, 20, 0, 0, TimeSpan.Zero), new(2026, 10, 30, 20, 0, 0, TimeSpan.Zero),
        new(2026, 4, 3, 10, 0, 0, TimeSpan.Zero), new(2026, 10, 2, 10, 0, 0, TimeSpan.Zero),
        new(2026, 1, 30, 23, 0, 0, TimeSpan.Zero), new(2026, 12, 30, 22, 0, 0, TimeSpan.Zero),
    ];

    private static readonly DateTimeOffset YearStart = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public static Arbitrary<Scenario> Scenarios() => Arb.From(Scenario(), Shrink);

    private static Gen<Scenario> Scenario() =>
        from calendar in Gen.Elements(Calendars)
        from start in Gen.Frequency(
            (1, Gen.Elements(InterestingStarts)),
            (2, Gen.Choose(0, 365 * 24 * 4).Select(quarters => YearStart.AddMinutes(quarters * 15))))
        from balance in Gen.Choose(0, 150_000)
        from limits in Limits(allowInvalid: false)
        from count in Gen.Choose(0, 80)
        from commands in Gen.ArrayOf(Command(), count)
        select new Scenario(calendar.Zone, calendar.ResetHour, start, balance, limits, commands);

    private static Gen<Command> Command() => Gen.Frequency(
        (10, Pay()),
        (3, from target in Gen.Elements(Enum.GetValues<Bound>())
            from offset in Gen.Elements(-1, 0, 1)
            select (Command)new PayToBoundCommand(target, offset)),
        (2, Deposit()),
        (1, Limits(allowInvalid: true).Select(change => (Command)new ChangeLimitsCommand(change))),
        (1, Gen.Frequency(
                (4, Gen.Constant(AccountStatus.Active)), (1, Gen.Constant(AccountStatus.Frozen)), (1, Gen.Constant(AccountStatus.Closed)))
            .Select(status => (Command)new ChangeStatusCommand(status))),
        (4, Wait()),
        (1, Gen.Elements(-1, 0, 1).Select(offset => (Command)new WaitForResetCommand(offset))),
        (4, from amount in Gen.Frequency((8, Gen.Choose(1, 20_000)), (1, Gen.Choose(20_000, 80_000)), (1, Gen.Elements(0, 5_000_000)))
            from mcc in Gen.Elements("7011", "5542", "5411", "7995")
            select (Command)new AuthorizeCommand(amount, mcc)),
        (2, from pick in Gen.Choose(0, 1_000)
            from amount in Gen.Choose(1, 20_000)
            select (Command)new IncrementCommand(pick, amount)),
        (4, from pick in Gen.Choose(0, 1_000)
            from percent in Gen.Elements(1, 30, 50, 100, 105, 110, 111, 150)
            from final in Gen.Elements(true, false)
            from force in Gen.Frequency((5, Gen.Constant(false)), (1, Gen.Constant(true)))
            select (Command)new CaptureCommand(pick, percent, final, force)),
        (2, from pick in Gen.Choose(0, 1_000)
            from percent in Gen.Elements<int?>(null, 25, 50, 100, 101)
            select (Command)new ReverseCommand(pick, percent)),
        (2, from pick in Gen.Frequency((1, Gen.Constant<int?>(null)), (4, Gen.Choose(0, 1_000).Select(p => (int?)p)))
            from amount in Gen.Choose(1, 20_000)
            select (Command)new RefundCommand(pick, amount)));

    private static Gen<Command> Pay() =>
        from amount in Gen.Frequency(
            (8, Gen.Choose(1, 15_000)),
            (2, Gen.Choose(15_000, 60_000)),
            (1, Gen.Choose(60_000, 1_000_000)),
            (1, Gen.Elements(0, -1, 1_000_001, 5_000_000)))
        from currency in Gen.Frequency((9, Gen.Constant("EUR")), (1, Gen.Constant("USD")))
        from mcc in Gen.Frequency((7, Gen.Elements("5411", "5812", "4111")), (1, Gen.Constant("7995")))
        select (Command)new PayCommand(amount, currency, mcc);

    private static Gen<Command> Deposit() =>
        from amount in Gen.Frequency((8, Gen.Choose(1, 100_000)), (1, Gen.Elements(0, -10)))
        from currency in Gen.Frequency((9, Gen.Constant("EUR")), (1, Gen.Constant("GBP")))
        select (Command)new DepositCommand(amount, currency);

    private static Gen<Command> Wait() =>
        Gen.Frequency(
                (4, Gen.Choose(1, 600).Select(minutes => TimeSpan.FromMinutes(minutes))),
                (3, Gen.Choose(1, 72).Select(hours => TimeSpan.FromHours(hours))),
                (2, Gen.Choose(1, 10).Select(days => TimeSpan.FromDays(days))),
                (1, Gen.Choose(1, 5).Select(weeks => TimeSpan.FromDays(7 * weeks))))
            .Select(duration => (Command)new WaitCommand(duration));

    /// <summary>Own limits: each unset, or a ceiling small enough to bind in a short scenario; now and then 0 when allowed.</summary>
    private static Gen<AccountLimits> Limits(bool allowInvalid) =>
        from perPayment in Limit(1_000, 60_000, allowInvalid)
        from daily in Limit(5_000, 100_000, allowInvalid)
        from weekly in Limit(10_000, 200_000, allowInvalid)
        from monthly in Limit(20_000, 400_000, allowInvalid)
        select new AccountLimits(perPayment, daily, weekly, monthly);

    private static Gen<long?> Limit(int low, int high, bool allowInvalid)
    {
        var valid = Gen.Frequency(
            (1, Gen.Constant<long?>(null)),
            (2, Gen.Choose(low, high).Select(limit => (long?)limit)));
        return allowInvalid ? Gen.Frequency((9, valid), (1, Gen.Constant<long?>(0))) : valid;
    }

    /// <summary>Shrinks by dropping commands: halves first, then one at a time.</summary>
    private static IEnumerable<Scenario> Shrink(Scenario scenario)
    {
        var commands = scenario.Commands;
        if (commands.Count > 1)
        {
            yield return scenario with { Commands = commands.Take(commands.Count / 2).ToArray() };
            yield return scenario with { Commands = commands.Skip(commands.Count / 2).ToArray() };
        }

        for (var i = commands.Count - 1; i >= 0; i--)
        {
            yield return scenario with { Commands = commands.Where((_, index) => index != i).ToArray() };
        }
    }
}
