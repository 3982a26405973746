using System.Text.RegularExpressions;
using Payments.Integration.Tests.Infrastructure;

namespace Payments.Integration.Tests;

/// <summary>
/// <c>scripts/services.sh start</c> on a fresh instance whose first bootstrap of the store fails (the fault seen once on
/// a loaded machine, injected with <c>PAYMENTS_FAIL_BOOTSTRAPS=1</c>): it is tried again from scratch, the failed
/// attempt's log is kept, and the store comes up replicated with the first node as its primary. The instance is its
/// own (name, ports, folders) and is destroyed at the end.
/// </summary>
[Collection(RealServersCollection.Name)]
public sealed partial class StoreBootstrapTests(RealServers servers)
{
    private static readonly Dictionary<string, string> FailFirstBootstrap = new() { ["PAYMENTS_FAIL_BOOTSTRAPS"] = "1" };

    [Fact]
    public async Task Failed_first_bootstrap_is_tried_again_from_scratch_and_the_store_comes_up_replicated()
    {
        var instance = $"it-bootstrap-{Environment.ProcessId}";
        var first = servers.Topology.Members("postgres").First();
        try
        {
            var output = await servers.RunScriptOnAsync(instance, "start", FailFirstBootstrap);
            var primary = (await servers.RunScriptOnAsync(instance, "primary", FailFirstBootstrap)).Trim();

            var failed = FailedAttempt().Match(output);
            Assert.True(failed.Success, $"no failed bootstrap attempt was reported:\n{output}");
            Assert.Equal(first, failed.Groups["node"].Value);
            Assert.True(File.Exists(failed.Groups["log"].Value), $"the failed attempt's log {failed.Groups["log"].Value} was not kept");
            Assert.DoesNotContain("attempt 2 of 3", output, StringComparison.Ordinal);
            Assert.Contains("is the primary, replicated synchronously", output, StringComparison.Ordinal);
            Assert.Equal(first, primary);
        }
        finally
        {
            await servers.RunScriptOnAsync(instance, "destroy", FailFirstBootstrap);
        }
    }

    [GeneratedRegex(@"postgres: bootstrap of (?<node>\S+) failed \(attempt 1 of 3\); its log is (?<log>\S+)")]
    private static partial Regex FailedAttempt();
}
