using System.Diagnostics;
using Payments.LoadGen.Http;
using Payments.LoadGen.Workload;

namespace Payments.LoadGen.Setup;

/// <summary>Opens the run's accounts through the API (admin key), many at a time.</summary>
public static class AccountSeeder
{
    private const int Concurrency = 128;
    private const int Attempts = 5;
    private static readonly TimeSpan RetryDelay = TimeSpan.FromSeconds(1);

    public static async Task OpenAsync(ApiClient api, IReadOnlyList<AccountSpec> accounts, string target)
    {
        var clock = Stopwatch.StartNew();
        var failed = 0;
        await Parallel.ForEachAsync(accounts, new ParallelOptions { MaxDegreeOfParallelism = Concurrency }, async (account, _) =>
        {
            // A 503 (PostgreSQL restarting under another workload) is retried: a second answer of 409 means the first
            // attempt did open it.
            for (var attempt = 1; !await api.OpenAccountAsync(account); attempt++)
            {
                if (attempt == Attempts)
                {
                    Interlocked.Increment(ref failed);
                    return;
                }

                await Task.Delay(RetryDelay);
            }
        });
        if (failed > 0)
        {
            throw new InvalidOperationException($"{target}: {failed} of {accounts.Count} accounts could not be opened.");
        }

        Console.WriteLine($"[{target}] opened {accounts.Count:N0} accounts in {clock.Elapsed.TotalSeconds:0.0} s");
    }
}
