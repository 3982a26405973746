using System.Diagnostics;
using HdrHistogram;
using Npgsql;
using Payments.Contracts;

namespace Payments.InProcess;

/// <summary>Opens the accounts, then keeps <see cref="InProcessSettings.Concurrency"/> payments in flight at all times.</summary>
public static class PaymentLoop
{
    public static async Task<InProcessResult> RunAsync(BenchSilo silo, InProcessSettings settings)
    {
        var prefix = "ip" + DateTime.UtcNow.ToString("MMddHHmmss", System.Globalization.CultureInfo.InvariantCulture);
        var accounts = Enumerable.Range(0, settings.Accounts).Select(i => $"{prefix}-a{i}").ToArray();
        var opened = Stopwatch.StartNew();
        await Parallel.ForEachAsync(accounts, new ParallelOptions { MaxDegreeOfParallelism = 64 }, async (id, _) =>
        {
            var result = await silo.Client.GetGrain<IAccountGrain>(id).OpenAsync(new OpenAccountRequest(
                "region-a", "EUR", 1_000_000_000, new AccountLimits(50_000, 1_000_000_000, 1_000_000_000, 1_000_000_000)));
            if (result.Outcome != OpenOutcome.Created)
            {
                throw new InvalidOperationException($"Account {id}: {result.Outcome}");
            }
        });
        Console.WriteLine($"opened {accounts.Length:N0} accounts in {opened.Elapsed.TotalSeconds:0.0} s");

        var latency = new LongConcurrentHistogram(1, 60_000_000, 3);
        var approved = 0L;
        var measuring = false;
        using var stop = new CancellationTokenSource();
        var workers = Enumerable.Range(0, settings.Concurrency).Select(worker => Task.Run(async () =>
        {
            var random = new Random(worker);
            var sequence = 0;
            while (!stop.IsCancellationRequested)
            {
                var account = accounts[random.Next(accounts.Length)];
                var started = Stopwatch.GetTimestamp();
                var result = await silo.Client.GetGrain<IAccountGrain>(account).PayAsync(new PaymentRequest(
                    random.NextInt64(100, 5_001), "EUR", "Boulangerie du Port", "5411", $"{prefix}-w{worker}-{sequence++}"));
                if (result.Payment?.Status == PaymentStatus.Approved)
                {
                    Interlocked.Increment(ref approved);
                }

                if (Volatile.Read(ref measuring))
                {
                    latency.RecordValue(Math.Max(1, Stopwatch.GetElapsedTime(started).Ticks / TimeSpan.TicksPerMicrosecond));
                }
            }
        })).ToList();

        await Task.Delay(settings.WarmUp);
        var (approvedAtStart, batchesAtStart, rowsAtStart) = (Interlocked.Read(ref approved), silo.Ledger.Batches, silo.Ledger.Rows);
        var cpuAtStart = Process.GetCurrentProcess().TotalProcessorTime;
        var clock = Stopwatch.StartNew();
        Volatile.Write(ref measuring, true);
        await Task.Delay(settings.Duration);
        Volatile.Write(ref measuring, false);
        var elapsed = clock.Elapsed;
        var (approvedAtEnd, batchesAtEnd, rowsAtEnd) = (Interlocked.Read(ref approved), silo.Ledger.Batches, silo.Ledger.Rows);
        var cores = (Process.GetCurrentProcess().TotalProcessorTime - cpuAtStart) / elapsed;
        await stop.CancelAsync();
        await Task.WhenAll(workers);

        var batches = batchesAtEnd - batchesAtStart;
        return new InProcessResult(
            ApprovedPerSecond: (approvedAtEnd - approvedAtStart) / elapsed.TotalSeconds,
            Seconds: elapsed.TotalSeconds,
            ConcurrentCalls: settings.Concurrency,
            Accounts: settings.Accounts,
            CommitsPerSecond: batches / elapsed.TotalSeconds,
            AverageBatchRows: batches == 0 ? 0 : (double)(rowsAtEnd - rowsAtStart) / batches,
            P50Ms: latency.GetValueAtPercentile(50) / 1000.0,
            P99Ms: latency.GetValueAtPercentile(99) / 1000.0,
            SiloProcessCores: cores,
            ApprovedAnswers: Interlocked.Read(ref approved),
            ApprovedInLedger: await CountApprovedAsync(settings.Postgres, prefix));
    }

    private static async Task<long> CountApprovedAsync(string postgres, string prefix)
    {
        await using var dataSource = NpgsqlDataSource.Create(postgres);
        await using var command = dataSource.CreateCommand(
            "SELECT count(*) FROM ledger WHERE account_id LIKE @prefix AND kind = 'payment' AND status = 'approved'");
        command.Parameters.AddWithValue("prefix", prefix + "-%");
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
