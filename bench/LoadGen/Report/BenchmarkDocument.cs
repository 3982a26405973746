namespace Payments.LoadGen.Report;

/// <summary>
/// docs/benchmarks.md is shared: each command of the load generator rewrites only the part between its own markers
/// (<c>&lt;!-- loadgen:begin --&gt;</c> for compare, <c>&lt;!-- events:begin --&gt;</c> for events) and keeps every
/// other section (other benchmarks, hand-written analysis) as it is.
/// </summary>
public static class BenchmarkDocument
{
    /// <summary>Writes the section, prints it, and says where it went (and any other file written with it).</summary>
    public static void Publish(string path, string section, string marker, params string[] alsoWritten)
    {
        WriteSection(path, section, marker);
        Console.WriteLine();
        Console.WriteLine(section);
        Console.WriteLine($"written: {string.Join(", ", [path, .. alsoWritten])}");
    }

    private static void WriteSection(string path, string section, string marker)
    {
        var (first, last) = ($"<!-- {marker}:begin -->", $"<!-- {marker}:end -->");
        var block = $"{first}\n{section.TrimEnd()}\n{last}";
        var existing = File.Exists(path) ? File.ReadAllText(path) : "# Benchmarks\n";
        var begin = existing.IndexOf(first, StringComparison.Ordinal);
        var end = existing.IndexOf(last, StringComparison.Ordinal);
        var updated = begin >= 0 && end > begin
            ? existing[..begin] + block + existing[(end + last.Length)..]
            : existing.TrimEnd() + "\n\n" + block + "\n";
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        File.WriteAllText(path, updated);
    }
}
