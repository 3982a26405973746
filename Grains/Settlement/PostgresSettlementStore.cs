using Microsoft.Extensions.Options;
using Npgsql;
using Payments.Contracts;

namespace Payments.Settlement;

/// <summary>
/// The settlement on PostgreSQL, set-based: a day is settled in chunks of accounts in account_id order
/// (<see cref="SettlementChunk"/>), its progress in <c>settlement_runs</c>, its totals in <c>settlements</c>.
/// </summary>
public sealed class PostgresSettlementStore(NpgsqlDataSource dataSource, IOptions<SettlementOptions> options) : ISettlementStore
{
    private const string RunColumns = "region, business_date, accounts, started_at, finished_at";

    public async Task<IReadOnlySet<DateOnly>> SettledDaysAsync(
        string region, DateOnly from, DateOnly to, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            """
            SELECT business_date FROM settlement_runs
            WHERE region = @region AND business_date BETWEEN @from AND @to AND finished_at IS NOT NULL
            """);
        command.Parameters.AddWithValue("region", region);
        command.Parameters.AddWithValue("from", from);
        command.Parameters.AddWithValue("to", to);
        var days = new HashSet<DateOnly>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            days.Add(reader.GetFieldValue<DateOnly>(0));
        }

        return days;
    }

    public async Task<SettlementRun> SettleAsync(string region, DateOnly businessDate, bool again, CancellationToken cancellationToken)
    {
        await StartAsync(region, businessDate, again, cancellationToken);
        await using (var connection = await dataSource.OpenConnectionAsync(cancellationToken))
        {
            await SettlementChunk.RunAsync(connection, region, businessDate, options.Value, again, cancellationToken);
        }

        return await FindRunAsync(region, businessDate, cancellationToken)
            ?? throw new InvalidOperationException($"The settlement run of {region} {businessDate} vanished.");
    }

    public async Task<SettlementRun?> FindRunAsync(string region, DateOnly businessDate, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            $"SELECT {RunColumns} FROM settlement_runs WHERE region = @region AND business_date = @date");
        command.Parameters.AddWithValue("region", region);
        command.Parameters.AddWithValue("date", businessDate);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken)
            ? new SettlementRun(
                reader.GetString(0), reader.GetFieldValue<DateOnly>(1), reader.GetInt64(2),
                reader.GetFieldValue<DateTimeOffset>(3), reader.IsDBNull(4) ? null : reader.GetFieldValue<DateTimeOffset>(4))
            : null;
    }

    public async Task<IReadOnlyList<AccountSettlement>> PageAsync(
        string region, DateOnly businessDate, string? beforeAccountId, int limit, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            """
            SELECT account_id, currency, approved_count, approved_amount, declined_count, deposit_count, deposit_amount,
                   capture_count, capture_amount, refund_count, refund_amount, advice_count, advice_amount
            FROM settlements
            WHERE region = @region AND business_date = @date AND (@before::text IS NULL OR account_id < @before)
            ORDER BY account_id DESC
            LIMIT @limit
            """);
        command.Parameters.AddWithValue("region", region);
        command.Parameters.AddWithValue("date", businessDate);
        command.Parameters.Add(new NpgsqlParameter<string?>("before", NpgsqlTypes.NpgsqlDbType.Text) { TypedValue = beforeAccountId });
        command.Parameters.AddWithValue("limit", limit);
        var items = new List<AccountSettlement>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            items.Add(new AccountSettlement(
                reader.GetString(0), reader.GetString(1), reader.GetInt64(2), reader.GetInt64(3),
                reader.GetInt64(4), reader.GetInt64(5), reader.GetInt64(6), reader.GetInt64(7), reader.GetInt64(8),
                reader.GetInt64(9), reader.GetInt64(10), reader.GetInt64(11), reader.GetInt64(12)));
        }

        return items;
    }

    private async Task StartAsync(string region, DateOnly businessDate, bool again, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(again
            ? """
              INSERT INTO settlement_runs (region, business_date, started_at) VALUES (@region, @date, now())
              ON CONFLICT (region, business_date) DO UPDATE
              SET after_account = '', accounts = 0, chunks = 0, started_at = now(), finished_at = NULL
              """
            : """
              INSERT INTO settlement_runs (region, business_date, started_at) VALUES (@region, @date, now())
              ON CONFLICT (region, business_date) DO NOTHING
              """);
        command.Parameters.AddWithValue("region", region);
        command.Parameters.AddWithValue("date", businessDate);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
