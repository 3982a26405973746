using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json.Nodes;

namespace Payments.Api.Tests;

/// <summary>Sends hostile requests a few at a time and checks every answer against the contract.</summary>
public static class FuzzRun
{
    private static readonly HashSet<string> Codes =
    [
        "unauthenticated", "forbidden", "validation_failed", "account_exists", "account_not_found", "payment_not_found",
        "unknown_region", "idempotency_key_reused", "rate_limited", "payload_too_large", "not_found", "method_not_allowed",
        "api_key_exists", "api_key_not_found",
    ];

    /// <summary>The outcome of a run: answers by status, and one line per answer that broke the contract.</summary>
    public sealed record Result(IReadOnlyDictionary<int, int> ByStatus, IReadOnlyList<string> Failures, TimeSpan Elapsed);

    public static async Task<Result> RunAsync(HttpClient client, IReadOnlyList<HostileRequest> requests, int concurrency)
    {
        var byStatus = new ConcurrentDictionary<int, int>();
        var failures = new ConcurrentQueue<string>();
        var clock = Stopwatch.StartNew();
        await Parallel.ForEachAsync(requests, new ParallelOptions { MaxDegreeOfParallelism = concurrency }, async (request, _) =>
        {
            try
            {
                using var message = request.ToMessage();
                using var response = await client.SendAsync(message);
                byStatus.AddOrUpdate((int)response.StatusCode, 1, (_, n) => n + 1);
                if (await CheckAsync(request, response) is { } failure)
                {
                    failures.Enqueue($"{request}: {failure}");
                }
            }
            catch (Exception ex) when (ex is HttpRequestException or IOException or InvalidOperationException)
            {
                failures.Enqueue($"{request}: no answer ({ex.GetType().Name}: {ex.Message})");
            }
        });
        return new Result(byStatus, [.. failures], clock.Elapsed);
    }

    private static async Task<string?> CheckAsync(HostileRequest request, HttpResponseMessage response)
    {
        var status = (int)response.StatusCode;
        if (status >= 500)
        {
            return $"answered {status}: {await response.Content.ReadAsStringAsync()}";
        }

        if (request.MustBeRejected && status < 400)
        {
            return $"a hostile write was accepted with {status}";
        }

        if (status < 400 || request.Method == "HEAD")
        {
            return null;
        }

        var body = await response.Content.ReadAsStringAsync();
        if (response.Content.Headers.ContentType?.MediaType != "application/problem+json")
        {
            return $"{status} is not problem+json: {response.Content.Headers.ContentType}";
        }

        var code = (string?)JsonNode.Parse(body)?["code"];
        return code is null || !Codes.Contains(code) ? $"{status} has no contract code: {body}"
            : body.Contains("   at ", StringComparison.Ordinal) || body.Contains("Exception", StringComparison.Ordinal) ? $"{status} leaks internals: {body}"
            : null;
    }

    public static string Describe(Result result) =>
        $"{result.ByStatus.Values.Sum()} answers in {result.Elapsed.TotalSeconds:F1} s: " +
        string.Join(", ", result.ByStatus.OrderBy(p => p.Key).Select(p => $"{p.Key}×{p.Value}"));
}
