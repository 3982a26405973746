using System.Text.Json.Nodes;
using Payments.K8s.Tests.Infrastructure;

namespace Payments.K8s.Tests;

/// <summary>
/// Schema validation of everything the overlays render, offline. kubeconform and kubeval are not served by the
/// registries this project reaches (apt, npm, NuGet); the npm package kubernetes-models carries the JSON schemas of
/// the Kubernetes 1.27 API, and schema-check/validate.mjs validates each object against its kind's schema
/// (types, required fields, enums; unknown fields are not reported).
/// </summary>
[Collection(ManifestsCollection.Name)]
public sealed class SchemaTests(RenderedManifests manifests, SchemaChecker checker) : IClassFixture<SchemaChecker>
{
    public static TheoryData<string> Overlays => [.. RenderedManifests.RegionOverlays, RenderedManifests.DataOverlay, RenderedManifests.MonitoringOverlay];

    [Theory]
    [MemberData(nameof(Overlays))]
    public void Rendered_manifests_match_the_kubernetes_api_schemas(string overlay)
    {
        var result = checker.Validate(manifests.Yaml[overlay]);

        Assert.True(result.ExitCode == 0, $"Schema check of {overlay} failed:\n{result.StandardOutput}{result.StandardError}");
        Assert.Contains(" valid, 0 invalid", result.StandardOutput, StringComparison.Ordinal);
    }
}

/// <summary>Installs the schema checker's npm packages (from its lock file) when one of them is not there yet.</summary>
public sealed class SchemaChecker
{
    private static readonly TimeSpan InstallTimeout = TimeSpan.FromMinutes(5);
    private static readonly TimeSpan ValidateTimeout = TimeSpan.FromMinutes(1);
    private readonly string _folder = RepositoryRoot.Combine("tests", "K8s.Tests", "schema-check");

    public SchemaChecker()
    {
        var node = ProcessRunner.TryRun("node", ["--version"], _folder, ValidateTimeout)
            ?? throw new InvalidOperationException("node is not installed (not found on PATH): the schema check runs on Node.js 18 or later (Debian: apt-get install nodejs npm).");
        if (node.ExitCode != 0)
        {
            throw new InvalidOperationException($"node --version failed: {node.StandardError}");
        }

        var dependencies = JsonNode.Parse(File.ReadAllText(Path.Combine(_folder, "package.json")))?["dependencies"]?.AsObject()
            .Select(pair => pair.Key) ?? [];
        if (dependencies.All(package => Directory.Exists(Path.Combine(_folder, "node_modules", package))))
        {
            return;
        }

        var install = ProcessRunner.TryRun("npm", ["ci", "--no-audit", "--no-fund", "--loglevel=error"], _folder, InstallTimeout)
            ?? throw new InvalidOperationException("npm is not installed (not found on PATH): it installs the schema check's packages (Debian: apt-get install npm).");
        if (install.ExitCode != 0)
        {
            throw new InvalidOperationException($"npm ci in {_folder} failed ({install.ExitCode}):\n{install.StandardOutput}{install.StandardError}");
        }
    }

    public ProcessResult Validate(string yaml) =>
        ProcessRunner.TryRun("node", ["validate.mjs"], _folder, ValidateTimeout, standardInput: yaml)
        ?? throw new InvalidOperationException("node disappeared from PATH.");
}
