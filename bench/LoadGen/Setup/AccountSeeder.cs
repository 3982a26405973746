using System.Diagnostics;
using Payments.LoadGen.Http;
using Payments.LoadGen.Workload;

namespace Payments.LoadGen.Setup;

/// <summary>Opens the run's accounts through the API (admin key), many at a time.</summary>
public static class AccountSeeder
{
    private const int Concurrency = 128;

    public static async Task OpenAsync(ApiClient api, IReadOnlyList<AccountSpec> accounts, string target)
    {
        var clock = Stopwatch.StartNew();
        var failed = 0;
        await Parallel.ForEachAsync(accounts, new ParallelOptions { MaxDegreeOfParallelism = Concurrency }, async (account, _) =>
        {
            if (!await api.OpenAccountAsync(account))
            {
                Interlocked.Increment(ref failed);
            }
        });
        if (failed > 0)
        {
            throw new InvalidOperationException($"{target}: {failed} of {accounts.Count} accounts could not be opened.");
        }

        Console.WriteLine($"[{target}] opened {accounts.Count:N0} accounts in {clock.Elapsed.TotalSeconds:0.0} s");
    }
}
