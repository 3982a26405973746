namespace Payments.Drill;

/// <summary>Which region's address a terminal sends its next attempt to, and what it learns from each attempt.</summary>
internal interface IAddressChoice
{
    string Choose(string preferred);

    void Unreachable(string region);

    void Reached(string region);

    static IAddressChoice For(TerminalMode mode, IEnumerable<string> regions, TimeSpan quarantine) => mode switch
    {
        TerminalMode.Failover => new SwitchingAddressChoice(regions, quarantine),
        TerminalMode.Plain => new PlainAddressChoice(),
        _ => throw new ArgumentOutOfRangeException(nameof(mode), mode, "Unknown terminal mode."),
    };
}

/// <summary>A plain client's choice: always its own region's address, whatever happened before.</summary>
internal sealed class PlainAddressChoice : IAddressChoice
{
    public string Choose(string preferred) => preferred;

    public void Unreachable(string region)
    {
    }

    public void Reached(string region)
    {
    }
}

/// <summary>
/// The drill's own failover: an address that could not be reached is kept aside for a while and the next region's is
/// used meanwhile. Each failure in a row doubles the time the address is kept aside (up to 8 times), so that a region
/// that stays down costs its terminals one timed-out request now and then rather than one every quarantine.
/// </summary>
internal sealed class SwitchingAddressChoice(IEnumerable<string> regions, TimeSpan quarantine) : IAddressChoice
{
    private readonly string[] _regions = [.. regions.Order(StringComparer.Ordinal)];
    private readonly Dictionary<string, DateTimeOffset> _quarantinedUntil = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _failuresInARow = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();

    public string Choose(string preferred)
    {
        lock (_lock)
        {
            var now = DateTimeOffset.UtcNow;
            bool Usable(string region) => !_quarantinedUntil.TryGetValue(region, out var until) || until <= now;
            return Usable(preferred) ? preferred : _regions.FirstOrDefault(r => r != preferred && Usable(r)) ?? preferred;
        }
    }

    public void Unreachable(string region)
    {
        lock (_lock)
        {
            var failures = _failuresInARow[region] = _failuresInARow.GetValueOrDefault(region) + 1;
            _quarantinedUntil[region] = DateTimeOffset.UtcNow + (quarantine * (1 << Math.Min(failures - 1, 3)));
        }
    }

    public void Reached(string region)
    {
        lock (_lock)
        {
            _failuresInARow.Remove(region);
        }
    }
}
