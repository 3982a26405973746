using System.Globalization;

namespace Payments.Integration.Tests.Infrastructure;

/// <summary>
/// topology/local.topology as the tests read it: the sites, the members of each kind and their ports, shifted by the
/// port offset of the instance the scripts started. The scripts read the same file (scripts/lib/topology.sh).
/// </summary>
public sealed class LocalTopology
{
    private readonly List<Member> _members;

    private LocalTopology(List<Member> members, int portOffset)
    {
        _members = members;
        PortOffset = portOffset;
    }

    public int PortOffset { get; }

    /// <summary>The sites that run a cluster: every site but the witness.</summary>
    public IReadOnlyList<string> Regions =>
        [.. _members.Where(m => m.Kind == "site" && m.Settings.GetValueOrDefault("witness") != "yes").Select(m => m.Name)];

    public static LocalTopology Read(string path, int portOffset) =>
        new([.. File.ReadLines(path).Select(Parse).OfType<Member>()], portOffset);

    /// <summary>The names of the members of <paramref name="kind"/> ("postgres", "redis", "etcd"…), of one site when given.</summary>
    public IReadOnlyList<string> Members(string kind, string? site = null) =>
        [.. _members.Where(m => m.Kind == kind && (site is null || m.Site == site)).Select(m => m.Name)];

    public string SiteOf(string member) => Find(member).Site;

    public int Port(string member, string key) =>
        int.Parse(Find(member).Settings[key], CultureInfo.InvariantCulture) + PortOffset;

    private Member Find(string name) =>
        _members.SingleOrDefault(m => m.Name == name) ?? throw new KeyNotFoundException($"The topology has no member {name}.");

    private static Member? Parse(string line)
    {
        var fields = line.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        if (fields.Length < 3 || fields[0].StartsWith('#') || fields[0] == "setting")
        {
            return null;
        }

        return new Member(fields[0], fields[1], fields[2],
            fields[3..].Select(pair => pair.Split('=', 2)).ToDictionary(pair => pair[0], pair => pair[1], StringComparer.Ordinal));
    }

    private sealed record Member(string Kind, string Name, string Site, IReadOnlyDictionary<string, string> Settings);
}
