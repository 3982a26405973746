using System.Diagnostics;
using System.Net;
using Payments.Integration.Tests.Infrastructure;

namespace Payments.Integration.Tests.Observability;

/// <summary>What the hosts log: the trace of the request on each line, and never a key or a password.</summary>
[Collection(RunningRegionCollection.Name)]
public sealed class LoggingTests(RunningRegion region)
{
    [Fact]
    public async Task No_log_line_holds_an_api_key_or_the_database_password()
    {
        var unknownKey = "unknown-key-" + Guid.NewGuid().ToString("N");
        var silo = region.Silos[0].Address;

        await region.PayAsync(await region.OpenAccountAsync(1_000), 10);
        using (var metrics = RunningRegion.Client(region.ApiAddress, RunningRegion.AdminKey))
        {
            Assert.Equal(HttpStatusCode.OK, (await metrics.GetAsync("/metrics")).StatusCode);
        }

        using (var stranger = RunningRegion.Client(region.ApiAddress, unknownKey))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await stranger.GetAsync("/v1/accounts/acc-1")).StatusCode);
        }

        using (var dashboard = RunningRegion.Client(silo))
        {
            var wrong = await dashboard.PostAsync("/dashboard/login", new FormUrlEncodedContent([new("key", unknownKey)]));
            var right = await dashboard.PostAsync("/dashboard/login", new FormUrlEncodedContent([new("key", RunningRegion.AdminKey)]));
            Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
            Assert.Equal(HttpStatusCode.OK, right.StatusCode);
        }

        var lines = region.Logs.Lines.ToList();
        Assert.Contains(lines, line => line.Contains("/dashboard/login", StringComparison.Ordinal));
        foreach (var secret in new[] { RunningRegion.AdminKey, RunningRegion.TerminalKey, unknownKey, region.PostgresPassword })
        {
            Assert.DoesNotContain(lines, line => line.Contains(secret, StringComparison.Ordinal));
        }
    }

    [Fact]
    public async Task Log_lines_of_a_request_carry_its_trace_id()
    {
        var accountId = await region.OpenAccountAsync(1_000);

        await region.PayAsync(accountId, 10);

        var path = $"/v1/accounts/{accountId}/payments";
        var waited = Stopwatch.StartNew();
        Activity? request;
        while ((request = region.ApiSpans.Snapshot().FirstOrDefault(span => (span.GetTagItem("url.path") as string) == path)) is null
            && waited.Elapsed < TimeSpan.FromSeconds(30))
        {
            await Task.Delay(100);
        }

        Assert.NotNull(request);
        Assert.Contains(region.Logs.Lines, line => line.Contains($"TraceId:{request.TraceId}", StringComparison.Ordinal)
            && line.Contains(path, StringComparison.Ordinal));
    }
}
