using System.Globalization;
using System.Text.Json;

namespace Payments.InProcess;

/// <summary>What the in-process benchmark measured; the load generator's report reads its JSON.</summary>
/// <param name="AverageBatchRows">Ledger rows per commit of the group-commit writer (LedgerMetrics).</param>
/// <param name="Unavailable">Payments answered unavailable (ledger not reachable): nothing approved.</param>
/// <param name="ApprovedInLedger">Approved payment rows of this run in the ledger (SQL): must equal <paramref name="ApprovedAnswers"/>.</param>
public sealed record InProcessResult(
    double ApprovedPerSecond,
    double Seconds,
    int ConcurrentCalls,
    int Accounts,
    double CommitsPerSecond,
    double AverageBatchRows,
    double P50Ms,
    double P99Ms,
    double SiloProcessCores,
    long Unavailable,
    long ApprovedAnswers,
    long ApprovedInLedger)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    public string Describe() => string.Create(CultureInfo.InvariantCulture,
        $"in process: {ApprovedPerSecond:N0} approved payments/s over {Seconds:0.0} s ({ConcurrentCalls} calls in flight, " +
        $"{Accounts:N0} accounts); {CommitsPerSecond:N0} ledger commits/s of {AverageBatchRows:0.0} rows on average; " +
        $"p50 {P50Ms:0.00} ms, p99 {P99Ms:0.00} ms; {SiloProcessCores:0.00} cores in this process; {Unavailable:N0} unavailable; " +
        $"approved answers {ApprovedAnswers:N0}, approved rows in the ledger {ApprovedInLedger:N0}");

    public async Task WriteJsonAsync(string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        await File.WriteAllTextAsync(path, JsonSerializer.Serialize(this, Json));
    }
}
