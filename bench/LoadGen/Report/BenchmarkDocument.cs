namespace Payments.LoadGen.Report;

/// <summary>
/// docs/benchmarks.md is shared: the load generator rewrites only the part between its markers and keeps every
/// other section (other benchmarks, hand-written analysis) as it is.
/// </summary>
public static class BenchmarkDocument
{
    public const string Begin = "<!-- loadgen:begin -->";
    public const string End = "<!-- loadgen:end -->";

    public static void WriteSection(string path, string section)
    {
        var block = $"{Begin}\n{section.TrimEnd()}\n{End}";
        var existing = File.Exists(path) ? File.ReadAllText(path) : "# Benchmarks\n";
        var begin = existing.IndexOf(Begin, StringComparison.Ordinal);
        var end = existing.IndexOf(End, StringComparison.Ordinal);
        var updated = begin >= 0 && end > begin
            ? existing[..begin] + block + existing[(end + End.Length)..]
            : existing.TrimEnd() + "\n\n" + block + "\n";
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        File.WriteAllText(path, updated);
    }
}
