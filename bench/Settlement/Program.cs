using System.Diagnostics;
using System.Globalization;
using HdrHistogram;
using Microsoft.Extensions.Options;
using Npgsql;
using Payments.Bench.Settlement;
using Payments.Settlement;

var options = BenchOptions.Parse(args);
var database = new BenchDatabase(options);
Console.WriteLine($"Creating database {options.Database} and loading {options.Accounts:N0} accounts...");
await database.CreateAsync();
var dayRows = await database.FillAsync();

await using var dataSource = NpgsqlDataSource.Create(database.ConnectionString);
var machine = await Machine.DescribeAsync(dataSource);
var loadBefore = Machine.LoadAverage();
var store = new PostgresSettlementStore(dataSource, Options.Create(new SettlementOptions { ChunkSize = options.ChunkSize }));

LongConcurrentHistogram baseline, during;
TimeSpan underLoad;
await using (var payer = new Payer(dataSource, options.Payers))
{
    await payer.StartAsync();
    await Task.Delay(TimeSpan.FromSeconds(5));
    payer.NextPhase();
    Console.WriteLine($"Measuring {options.Payers} payers alone for {options.Baseline.TotalSeconds:F0} s...");
    await Task.Delay(options.Baseline);
    baseline = payer.NextPhase();
    Console.WriteLine("Settling the day while they pay...");
    var started = Stopwatch.StartNew();
    await store.SettleAsync(BenchDatabase.Region, BenchDatabase.Day, again: false, CancellationToken.None);
    underLoad = started.Elapsed;
    during = payer.NextPhase();
}

var settled = await ScalarAsync("SELECT count(*) FROM settlements");
var matches = await ScalarAsync(
    """
    SELECT count(*) FROM settlements s
    JOIN (SELECT account_id,
                 count(*) FILTER (WHERE kind = 'payment' AND status = 'approved') AS approved_count,
                 coalesce(sum(amount) FILTER (WHERE kind = 'payment' AND status = 'approved'), 0) AS approved_amount,
                 count(*) FILTER (WHERE kind = 'deposit') AS deposit_count
          FROM ledger WHERE business_date = @day GROUP BY account_id) l USING (account_id)
    WHERE s.approved_count = l.approved_count AND s.approved_amount = l.approved_amount AND s.deposit_count = l.deposit_count
    """);

Console.WriteLine("Settling the same day again from scratch with nothing else running...");
await ExecuteAsync("TRUNCATE settlements, settlement_runs");
var alone = Stopwatch.StartNew();
await store.SettleAsync(BenchDatabase.Region, BenchDatabase.Day, again: false, CancellationToken.None);
var quiet = alone.Elapsed;

var loadAfter = Machine.LoadAverage();
var (rateUnderLoad, rateAlone) = (options.Accounts / underLoad.TotalSeconds, options.Accounts / quiet.TotalSeconds);
var ratio = (double)during.GetValueAtPercentile(99) / baseline.GetValueAtPercentile(99);
var report = string.Create(CultureInfo.InvariantCulture, $"""
    Measured {DateTimeOffset.UtcNow:yyyy-MM-dd} by `dotnet run -c Release --project bench/Settlement` (options: {options.Accounts:N0} accounts,
    chunks of {options.ChunkSize:N0}, {options.Payers} payers). Machine: {machine}; load average {loadBefore} before
    the measurements and {loadAfter} after (the machine is shared: other work runs on the same cores).

    One business day of region-a: {options.Accounts:N0} accounts with activity and {dayRows:N0} ledger rows on the day
    (plus each account's open row a month before), loaded by binary COPY into a database of its own, then
    `VACUUM ANALYZE`. The settlement is `PostgresSettlementStore.SettleAsync`, the code the reminder runs. The payers
    are closed loops appending the next day's payment rows through the silo's real `LedgerWriter` (group commit into
    `PostgresLedgerStore`), each waiting for its row to be durable before the next; the latency is that wait.

    | | accounts/s | duration |
    |---|---:|---:|
    | settlement while the payers run | {rateUnderLoad:N0} | {underLoad.TotalSeconds:F1} s |
    | settlement alone | {rateAlone:N0} | {quiet.TotalSeconds:F1} s |

    | payment append latency | payments/s | p50 | p99 | p99.9 | max |
    |---|---:|---:|---:|---:|---:|
    | payers alone ({options.Baseline.TotalSeconds:F0} s) | {Rate(baseline, options.Baseline):N0} | {Ms(baseline, 50)} | {Ms(baseline, 99)} | {Ms(baseline, 99.9)} | {Ms(baseline, 100)} |
    | during the settlement | {Rate(during, underLoad):N0} | {Ms(during, 50)} | {Ms(during, 99)} | {Ms(during, 99.9)} | {Ms(during, 100)} |

    Goals: at least 100,000 accounts/s — {(rateUnderLoad >= 100_000 ? "met" : $"missed by {100_000 - rateUnderLoad:N0} accounts/s")} under load;
    p99 during the batch at most 1.5 × p99 without — {(ratio <= 1.5 ? "met" : "missed")} ({ratio:F2} ×).
    Check: {settled:N0} settlement rows, {matches:N0} of them equal to the totals recomputed from the ledger.
    """);

Console.WriteLine();
Console.WriteLine(report);
if (options.WriteDocs)
{
    Console.WriteLine($"Written to {BenchmarksDoc.Write("Settlement", report)}");
}

async Task ExecuteAsync(string sql)
{
    await using var command = dataSource.CreateCommand(sql);
    await command.ExecuteNonQueryAsync();
}

async Task<long> ScalarAsync(string sql)
{
    await using var command = dataSource.CreateCommand(sql);
    command.CommandTimeout = 0;
    command.Parameters.AddWithValue("day", BenchDatabase.Day);
    return (long)(await command.ExecuteScalarAsync())!;
}

static double Rate(HistogramBase histogram, TimeSpan elapsed) => histogram.TotalCount / elapsed.TotalSeconds;

static string Ms(HistogramBase histogram, double percentile) =>
    string.Create(CultureInfo.InvariantCulture, $"{histogram.GetValueAtPercentile(percentile) / 1000.0:F1} ms");
