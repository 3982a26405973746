namespace Payments.Bench.Settlement;

/// <summary>
/// docs/benchmarks.md, where each benchmark owns one "## " section: this one replaces its own section (or appends it)
/// and leaves the others as they are.
/// </summary>
internal static class BenchmarksDoc
{
    public static string Write(string heading, string body)
    {
        var path = Path.Combine(RepositoryRoot(), "docs", "benchmarks.md");
        var text = File.Exists(path) ? File.ReadAllText(path) : "# Benchmarks\n";
        var section = $"## {heading}\n\n{body.TrimEnd()}\n";
        var start = text.IndexOf($"\n## {heading}\n", StringComparison.Ordinal);
        if (start < 0)
        {
            text = text.TrimEnd() + "\n\n" + section;
        }
        else
        {
            var next = text.IndexOf("\n## ", start + 1, StringComparison.Ordinal);
            text = text[..(start + 1)] + section + (next < 0 ? "" : "\n" + text[(next + 1)..]);
        }

        File.WriteAllText(path, text);
        return path;
    }

    private static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Payments.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException($"No folder above {AppContext.BaseDirectory} holds Payments.sln.");
    }
}
