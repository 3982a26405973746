using System.Diagnostics;
using Orleans.Diagnostics;
using Payments.Integration.Tests.Infrastructure;
using Payments.Ledger;

namespace Payments.Integration.Tests.Observability;

/// <summary>One trace follows a payment from the API's HTTP request through the grain call to the ledger's SQL.</summary>
[Collection(RunningRegionCollection.Name)]
public sealed class TracingTests(RunningRegion region)
{
    private static readonly TimeSpan ExportWait = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task A_payment_is_one_trace_from_the_http_request_to_the_ledger_sql()
    {
        var accountId = await region.OpenAccountAsync(10_000);

        await region.PayAsync(accountId, 1_250);

        var http = await WaitForSpanAsync(span => span.Kind == ActivityKind.Server
            && span.Source.Name == "Microsoft.AspNetCore"
            && (span.GetTagItem("url.path") as string) == $"/v1/accounts/{accountId}/payments");
        var trace = http.TraceId;
        var grainCall = await WaitForSpanAsync(span => span.TraceId == trace && span.Kind == ActivityKind.Server
            && span.Source.Name == ActivitySources.ApplicationGrainActivitySourceName
            && (span.GetTagItem("rpc.method") as string) == "Payments.IAccountGrain/PayAsync");
        var commit = await WaitForSpanAsync(span => span.TraceId == trace && span.Source.Name == LedgerTracing.SourceName);
        // The commit's children may include a CONNECT span (Npgsql 10 traces a physical open when the pool needs one).
        await WaitForSpanAsync(span => span.TraceId == trace && span.Source.Name == "Npgsql" && span.ParentSpanId == commit.SpanId
            && IsInsert(span));
        var client = region.AllSpans().Single(span => span.SpanId == grainCall.ParentSpanId);

        Assert.Equal("/v1/accounts/{accountId}/payments", http.GetTagItem("http.route"));
        Assert.Equal(ActivityKind.Client, client.Kind);
        Assert.Equal(http.SpanId, client.ParentSpanId);
        Assert.Equal(grainCall.SpanId, commit.ParentSpanId);
        Assert.DoesNotContain(region.AllSpans().SelectMany(span => span.Tags), tag => tag.Value?.Contains(region.PostgresPassword, StringComparison.Ordinal) == true);
    }

    private static bool IsInsert(Activity span) =>
        (span.GetTagItem("db.query.text") as string)?.Contains("INSERT INTO ledger", StringComparison.OrdinalIgnoreCase) == true;

    private async Task<Activity> WaitForSpanAsync(Func<Activity, bool> match)
    {
        // Spans are exported when they end, which may be just after the response reached the client.
        var waited = Stopwatch.StartNew();
        while (true)
        {
            if (region.AllSpans().FirstOrDefault(match) is { } span)
            {
                return span;
            }

            if (waited.Elapsed > ExportWait)
            {
                var seen = string.Join("\n", region.AllSpans().TakeLast(40).Select(s => $"{s.Source.Name} {s.Kind} {s.DisplayName} {s.TraceId}/{s.SpanId}<-{s.ParentSpanId}"));
                Assert.Fail($"No such span after {ExportWait}. Last spans:\n{seen}");
            }

            await Task.Delay(100);
        }
    }
}
