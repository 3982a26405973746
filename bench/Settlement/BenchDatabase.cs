using System.Diagnostics;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using NpgsqlTypes;
using Payments.Silo.Hosting;

namespace Payments.Bench.Settlement;

/// <summary>
/// The benchmark's own database: dropped and created again, migrated like a silo does, and filled by binary COPY
/// with a day of ledger rows. Each account has its open row a month before and 1 to 4 rows on the day: approved
/// payments (most), declined payments and deposits, in a fixed pseudo-random mix.
/// </summary>
internal sealed class BenchDatabase(BenchOptions options)
{
    public const string Region = "region-a";
    public static readonly DateOnly Day = new(2026, 11, 24);

    public string ConnectionString { get; } =
        new NpgsqlConnectionStringBuilder(options.Postgres) { Database = options.Database }.ConnectionString;

    public async Task CreateAsync()
    {
        await using (var server = new NpgsqlConnection(options.Postgres))
        {
            await server.OpenAsync();
            await Execute(server, $"DROP DATABASE IF EXISTS {options.Database} WITH (FORCE)");
            await Execute(server, $"CREATE DATABASE {options.Database}");
        }

        await SchemaMigrator.ApplyAsync(ConnectionString, NullLogger.Instance, CancellationToken.None);
    }

    /// <summary>Loads the accounts and the day's rows; returns the number of ledger rows on the day.</summary>
    public async Task<long> FillAsync()
    {
        var started = Stopwatch.StartNew();
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using (var accounts = await connection.BeginBinaryImportAsync(
            "COPY accounts (account_id, home_region, currency, created_at) FROM STDIN (FORMAT BINARY)"))
        {
            for (var i = 0; i < options.Accounts; i++)
            {
                await accounts.StartRowAsync();
                await accounts.WriteAsync(AccountId(i), NpgsqlDbType.Text);
                await accounts.WriteAsync(Region, NpgsqlDbType.Text);
                await accounts.WriteAsync("EUR", NpgsqlDbType.Char);
                await accounts.WriteAsync(Instant(Day.AddDays(-30)), NpgsqlDbType.TimestampTz);
            }

            await accounts.CompleteAsync();
        }

        long dayRows = 0;
        await using (var ledger = await connection.BeginBinaryImportAsync(
            """
            COPY ledger (account_id, seq, kind, entry_id, request_hash, amount, currency, merchant, mcc, reference, status,
                         decline_reason, balance_after, created_at, business_date, decided_by)
            FROM STDIN (FORMAT BINARY)
            """))
        {
            var random = new Random(42);
            for (var i = 0; i < options.Accounts; i++)
            {
                var id = AccountId(i);
                long balance = 1_000_000;
                await Row(ledger, id, 1, "open", balance, "approved", null, balance, Day.AddDays(-30));
                var rows = random.Next(1, 5);
                for (var seq = 2; seq <= rows + 1; seq++)
                {
                    var amount = random.Next(100, 20_000);
                    var roll = random.Next(10);
                    var (kind, status) = roll switch { 0 => ("deposit", "approved"), 1 => ("payment", "declined"), _ => ("payment", "approved") };
                    balance += kind == "deposit" ? amount : status == "approved" ? -amount : 0;
                    await Row(ledger, id, seq, kind, amount, status, status == "declined" ? "daily_limit_exceeded" : null, balance, Day);
                    dayRows++;
                }
            }

            await ledger.CompleteAsync();
        }

        Console.WriteLine($"Loaded {options.Accounts:N0} accounts and {dayRows:N0} ledger rows on {Day:yyyy-MM-dd} in {started.Elapsed.TotalSeconds:F1} s");
        started.Restart();
        // What autovacuum would have done to yesterday's rows by the reset: statistics and visibility.
        await Execute(connection, "VACUUM (ANALYZE) accounts, ledger");
        Console.WriteLine($"VACUUM ANALYZE in {started.Elapsed.TotalSeconds:F1} s");
        return dayRows;
    }

    public static string AccountId(int index) => $"bench-{index:D8}";

    private static async Task Row(
        NpgsqlBinaryImporter ledger, string accountId, long seq, string kind, long amount, string status, string? declineReason,
        long balanceAfter, DateOnly businessDate)
    {
        await ledger.StartRowAsync();
        await ledger.WriteAsync(accountId, NpgsqlDbType.Text);
        await ledger.WriteAsync(seq, NpgsqlDbType.Bigint);
        await ledger.WriteAsync(kind, NpgsqlDbType.Text);
        await ledger.WriteAsync($"{kind}-{seq}", NpgsqlDbType.Text);
        await ledger.WriteAsync("bench", NpgsqlDbType.Text);
        await ledger.WriteAsync(amount, NpgsqlDbType.Bigint);
        await ledger.WriteAsync("EUR", NpgsqlDbType.Char);
        await ledger.WriteAsync(kind == "payment" ? "Boulangerie" : null, NpgsqlDbType.Text);
        await ledger.WriteAsync(kind == "payment" ? "5411" : null, NpgsqlDbType.Char);
        await ledger.WriteAsync(kind == "deposit" ? "salary" : null, NpgsqlDbType.Text);
        await ledger.WriteAsync(status, NpgsqlDbType.Text);
        await ledger.WriteAsync(declineReason, NpgsqlDbType.Text);
        await ledger.WriteAsync(balanceAfter, NpgsqlDbType.Bigint);
        await ledger.WriteAsync(Instant(businessDate).AddHours(10), NpgsqlDbType.TimestampTz);
        await ledger.WriteAsync(businessDate, NpgsqlDbType.Date);
        await ledger.WriteAsync(Region, NpgsqlDbType.Text);
    }

    private static DateTime Instant(DateOnly date) => date.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc);

    private static async Task Execute(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection) { CommandTimeout = 0 };
        await command.ExecuteNonQueryAsync();
    }
}
