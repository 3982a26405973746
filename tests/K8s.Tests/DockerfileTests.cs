using System.Text.RegularExpressions;
using System.Xml.Linq;
using Payments.K8s.Tests.Infrastructure;

namespace Payments.K8s.Tests;

/// <summary>
/// The images cannot be built here (no container engine), so their Dockerfiles are read: two stages, SDK to
/// runtime, a non-root user, and every project the app references copied into the build.
/// </summary>
public sealed partial class DockerfileTests
{
    public static TheoryData<string> Apps => ["Silo", "Client.Api"];

    [Theory]
    [MemberData(nameof(Apps))]
    public void Each_image_is_built_with_the_sdk_and_runs_on_aspnet_as_a_non_root_user(string app)
    {
        var instructions = Instructions(app);
        var stages = instructions.Where(i => i.Keyword == "FROM").ToList();
        var runtimeStage = instructions.FindLastIndex(i => i.Keyword == "FROM");
        var users = instructions.Skip(runtimeStage).Where(i => i.Keyword == "USER").Select(i => i.Arguments).ToList();
        var entrypoint = instructions.Skip(runtimeStage).Single(i => i.Keyword == "ENTRYPOINT").Arguments;

        Assert.True(stages.Count >= 2, $"{app}/Dockerfile has {stages.Count} stage(s)");
        Assert.StartsWith("mcr.microsoft.com/dotnet/sdk:10.0", stages[0].Arguments, StringComparison.Ordinal);
        Assert.StartsWith("mcr.microsoft.com/dotnet/aspnet:10.0", stages[^1].Arguments, StringComparison.Ordinal);
        Assert.Contains(instructions, i => i.Keyword == "RUN" && PublishRelease().IsMatch(i.Arguments));
        var user = Assert.Single(users);
        Assert.True(user is "$APP_UID" or "${APP_UID}" || (int.TryParse(user, out var uid) && uid > 0), $"USER {user} is not a non-root uid");
        Assert.Contains($"{AssemblyName(app)}.dll", entrypoint, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Apps))]
    public void Each_image_copies_every_project_its_app_references(string app)
    {
        var copied = Instructions(app)
            .Where(i => i.Keyword == "COPY" && !i.Arguments.StartsWith("--from", StringComparison.Ordinal))
            .SelectMany(i => i.Arguments.Split(' ', StringSplitOptions.RemoveEmptyEntries).SkipLast(1))
            .Select(source => source.TrimEnd('/'))
            .ToHashSet(StringComparer.Ordinal);

        foreach (var project in ProjectClosure(app))
        {
            var csproj = $"{project}/{project}.csproj";
            Assert.True(copied.Contains(csproj), $"{app}/Dockerfile does not copy {csproj} before the restore");
            Assert.True(copied.Contains(project), $"{app}/Dockerfile does not copy the folder {project}/");
        }

        foreach (var file in new[] { "global.json", "Directory.Build.props", "Directory.Packages.props" })
        {
            Assert.True(copied.Contains(file), $"{app}/Dockerfile does not copy {file}");
        }
    }

    [Fact]
    public void Docker_build_context_leaves_out_build_outputs_and_the_git_folder()
    {
        var patterns = File.ReadAllLines(RepositoryRoot.Combine(".dockerignore"))
            .Select(line => line.Trim())
            .Where(line => line.Length > 0 && !line.StartsWith('#'))
            .ToHashSet(StringComparer.Ordinal);

        Assert.Contains("**/bin", patterns);
        Assert.Contains("**/obj", patterns);
        Assert.Contains(".git", patterns);
    }

    /// <summary>The app's project folder and every project it references, transitively, as folder names.</summary>
    private static IReadOnlyList<string> ProjectClosure(string app)
    {
        var seen = new List<string>();
        var pending = new Queue<string>([app]);
        while (pending.TryDequeue(out var project))
        {
            if (seen.Contains(project))
            {
                continue;
            }

            seen.Add(project);
            var document = XDocument.Load(RepositoryRoot.Combine(project, $"{project}.csproj"));
            foreach (var reference in document.Descendants("ProjectReference"))
            {
                var include = (reference.Attribute("Include")?.Value ?? "").Replace('\\', '/');
                var folder = Path.GetFileName(Path.GetDirectoryName(Path.GetFullPath(Path.Combine(RepositoryRoot.Combine(project), include))));
                pending.Enqueue(folder ?? include);
            }
        }

        return seen;
    }

    private static string AssemblyName(string app) =>
        XDocument.Load(RepositoryRoot.Combine(app, $"{app}.csproj")).Descendants("AssemblyName").Single().Value;

    private static List<(string Keyword, string Arguments)> Instructions(string app)
    {
        var text = File.ReadAllText(RepositoryRoot.Combine(app, "Dockerfile"));
        var joined = text.Replace("\\\n", " ", StringComparison.Ordinal);
        return [.. joined.Split('\n')
            .Select(line => line.Trim())
            .Where(line => line.Length > 0 && !line.StartsWith('#'))
            .Select(line => line.Split(' ', 2, StringSplitOptions.TrimEntries))
            .Select(parts => (parts[0].ToUpperInvariant(), Whitespace().Replace(parts.ElementAtOrDefault(1) ?? "", " ")))];
    }

    [GeneratedRegex(@"dotnet publish\b.*(-c|--configuration) Release\b")]
    private static partial Regex PublishRelease();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();
}
