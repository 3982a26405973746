namespace Payments.K8s.Tests.Infrastructure;

/// <summary>The repository's top folder: the first parent of the test binaries that holds .git or Payments.sln.</summary>
public static class RepositoryRoot
{
    private static readonly Lazy<string> Root = new(Find);

    public static string Path => Root.Value;

    public static string Combine(params string[] parts) => System.IO.Path.Combine([Path, .. parts]);

    private static string Find()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            var hasGit = Directory.Exists(System.IO.Path.Combine(folder.FullName, ".git"))
                || File.Exists(System.IO.Path.Combine(folder.FullName, ".git"));
            if (hasGit || File.Exists(System.IO.Path.Combine(folder.FullName, "Payments.sln")))
            {
                return folder.FullName;
            }
        }

        throw new InvalidOperationException(
            $"No folder holding .git or Payments.sln above {AppContext.BaseDirectory}: run the tests from the repository.");
    }
}
