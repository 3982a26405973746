using System.Globalization;
using Microsoft.Extensions.Options;
using Npgsql;
using Payments.Contracts;

namespace Payments.Settlement;

/// <summary>
/// The settlement on PostgreSQL, set-based. A day is settled in chunks of accounts in account_id order; each
/// chunk is one statement (so one transaction): it locks the day's progress row, totals the next accounts' ledger
/// rows of that day, upserts their settlement rows and moves the progress row past them. A crash loses at most the
/// chunk in flight, and the next run resumes after the last committed one.
/// </summary>
/// <remarks>
/// Payments are never blocked: the chunk reads the ledger with a plain READ COMMITTED select (no row locks; new
/// ledger rows of the next day go on being inserted) and writes only the settlement tables. A chunk scans ledger
/// rows of every region for the day and keeps its region's accounts: the ledger has no region column. The
/// settlement insert is a data-modifying CTE, which PostgreSQL runs to completion whether or not it is read.
/// The statement is shaped so that each chunk costs only its own rows: the progress mark is a scalar subquery (so it
/// bounds the index range scan instead of filtering from the day's first row), and each account is looked up by its
/// key (the LIMIT keeps the planner from turning the lookup into a join that reads the whole directory).
/// </remarks>
public sealed class PostgresSettlementStore(NpgsqlDataSource dataSource, IOptions<SettlementOptions> options) : ISettlementStore
{
    // One chunk, with {0} the clause that settles a conflict with a row already there (or nothing: then a conflict
    // fails the chunk, which the caller retries with the upsert).
    private const string ChunkTemplate = """
        WITH run AS (
            SELECT after_account FROM settlement_runs
            WHERE region = @region AND business_date = @date AND finished_at IS NULL
            FOR UPDATE),
        totals AS (
            SELECT l.account_id,
                   count(*) FILTER (WHERE l.kind = 'payment' AND l.status = 'approved') AS approved_count,
                   coalesce(sum(l.amount) FILTER (WHERE l.kind = 'payment' AND l.status = 'approved'), 0) AS approved_amount,
                   count(*) FILTER (WHERE l.kind = 'payment' AND l.status = 'declined') AS declined_count,
                   count(*) FILTER (WHERE l.kind = 'deposit') AS deposit_count,
                   coalesce(sum(l.amount) FILTER (WHERE l.kind = 'deposit'), 0) AS deposit_amount
            FROM ledger l
            WHERE l.business_date = @date AND l.account_id > (SELECT after_account FROM run)
              AND l.kind IN ('payment', 'deposit')
            GROUP BY l.account_id
            ORDER BY l.account_id
            LIMIT @chunk),
        regional AS (
            SELECT t.*, a.currency
            FROM totals t
            CROSS JOIN LATERAL (
                SELECT currency FROM accounts
                WHERE account_id = t.account_id AND home_region = @region
                LIMIT 1) a),
        settled AS (
            INSERT INTO settlements AS s (region, business_date, account_id, currency, approved_count, approved_amount,
                                          declined_count, deposit_count, deposit_amount, settled_at)
            SELECT @region, @date, account_id, currency, approved_count, approved_amount::bigint,
                   declined_count, deposit_count, deposit_amount::bigint, now()
            FROM regional
            {0})
        UPDATE settlement_runs
        SET after_account = coalesce((SELECT max(account_id) FROM totals), after_account),
            accounts = accounts + (SELECT count(*) FROM regional),
            chunks = chunks + 1,
            finished_at = CASE WHEN (SELECT count(*) FROM totals) < @chunk THEN now() END
        WHERE region = @region AND business_date = @date AND finished_at IS NULL
        RETURNING finished_at IS NOT NULL
        """;

    private const string Upsert = """
        ON CONFLICT (region, business_date, account_id) DO UPDATE
        SET currency = excluded.currency, approved_count = excluded.approved_count,
            approved_amount = excluded.approved_amount, declined_count = excluded.declined_count,
            deposit_count = excluded.deposit_count, deposit_amount = excluded.deposit_amount,
            settled_at = excluded.settled_at
        WHERE (s.currency, s.approved_count, s.approved_amount, s.declined_count, s.deposit_count, s.deposit_amount)
              IS DISTINCT FROM
              (excluded.currency, excluded.approved_count, excluded.approved_amount, excluded.declined_count,
               excluded.deposit_count, excluded.deposit_amount)
        """;

    // A first pass writes accounts after the progress mark, where no row can be yet: a plain insert, which costs
    // about two thirds of an upsert. Settling again, or a row that is there all the same, takes the upsert.
    private static readonly string InsertChunkSql = string.Format(CultureInfo.InvariantCulture, ChunkTemplate, "");
    private static readonly string UpsertChunkSql = string.Format(CultureInfo.InvariantCulture, ChunkTemplate, Upsert);

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
        await using var chunk = dataSource.CreateCommand(again ? UpsertChunkSql : InsertChunkSql);
        chunk.CommandTimeout = 0;
        chunk.Parameters.AddWithValue("region", region);
        chunk.Parameters.AddWithValue("date", businessDate);
        chunk.Parameters.AddWithValue("chunk", options.Value.ChunkSize);

        // No row back: the day is finished (by this loop or by another runner that held the lock meanwhile).
        while (await NextChunkAsync(chunk, cancellationToken) is false)
        {
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
            SELECT account_id, currency, approved_count, approved_amount, declined_count, deposit_count, deposit_amount
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
                reader.GetInt64(4), reader.GetInt64(5), reader.GetInt64(6)));
        }

        return items;
    }

    private static async Task<object?> NextChunkAsync(NpgsqlCommand chunk, CancellationToken cancellationToken)
    {
        try
        {
            return await chunk.ExecuteScalarAsync(cancellationToken);
        }
        catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.UniqueViolation && chunk.CommandText != UpsertChunkSql)
        {
            // The chunk rolled back whole; from here on the run rewrites what differs instead.
            chunk.CommandText = UpsertChunkSql;
            return await chunk.ExecuteScalarAsync(cancellationToken);
        }
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
