using System.Diagnostics;
using System.Globalization;
using Npgsql;

namespace Payments.Settlement;

/// <summary>
/// One chunk of a day's settlement, in one transaction: lock the day's progress row, total the next accounts after
/// its mark from the ledger, write their settlement rows and move the mark past them. A crash loses at most the chunk
/// in flight; a second runner of the same day waits on the lock and goes on from the mark the first one moved.
/// </summary>
/// <remarks>
/// The mark is read first and passed as a value, so the planner sees the chunk's actual range: it reads the day's
/// ledger rows by the <c>(business_date, account_id)</c> index from the mark, joins the account directory in the
/// same order (a merge of two index range scans, or a key lookup per row when the statistics of the day are not
/// collected yet), and the LIMIT stops the scans after the chunk: a chunk's cost never depends on the day's size. The ledger is read with a plain
/// READ COMMITTED select: no row of it is locked, and the next day's payments go on being inserted. The ledger has
/// no region column, so the chunk totals every account of the day and keeps those of its region; the mark moves past
/// all of them.
/// </remarks>
internal static class SettlementChunk
{
    // {0} settles a conflict with a row already there; empty, a conflict fails the chunk and the caller retries it
    // with the upsert.
    private const string Template = """
        WITH totals AS (
            SELECT a.account_id, a.home_region, a.currency,
                   count(*) FILTER (WHERE l.kind = 'payment' AND l.status = 'approved') AS approved_count,
                   coalesce(sum(l.amount) FILTER (WHERE l.kind = 'payment' AND l.status = 'approved'), 0) AS approved_amount,
                   count(*) FILTER (WHERE l.kind = 'payment' AND l.status = 'declined') AS declined_count,
                   count(*) FILTER (WHERE l.kind = 'deposit') AS deposit_count,
                   coalesce(sum(l.amount) FILTER (WHERE l.kind = 'deposit'), 0) AS deposit_amount,
                   count(*) FILTER (WHERE l.kind = 'capture') AS capture_count,
                   coalesce(sum(l.amount) FILTER (WHERE l.kind = 'capture'), 0) AS capture_amount,
                   count(*) FILTER (WHERE l.kind = 'refund') AS refund_count,
                   coalesce(sum(l.amount) FILTER (WHERE l.kind = 'refund'), 0) AS refund_amount,
                   count(*) FILTER (WHERE l.kind = 'advice') AS advice_count,
                   -- An advice without an authorization id is a payment advice: posted. An authorization advice holds.
                   coalesce(sum(l.amount) FILTER (WHERE l.kind = 'advice' AND l.authorization_id IS NULL), 0) AS advice_amount
            FROM ledger l JOIN accounts a ON a.account_id = l.account_id
            WHERE l.business_date = @date AND l.account_id > @after AND a.account_id > @after
              AND l.kind IN ('payment', 'deposit', 'capture', 'refund', 'advice')
            GROUP BY a.account_id
            ORDER BY a.account_id
            LIMIT @chunk),
        settled AS (
            INSERT INTO settlements AS s (region, business_date, account_id, currency, approved_count, approved_amount,
                                          declined_count, deposit_count, deposit_amount, capture_count, capture_amount,
                                          refund_count, refund_amount, advice_count, advice_amount, settled_at)
            SELECT @region, @date, account_id, currency, approved_count, approved_amount::bigint,
                   declined_count, deposit_count, deposit_amount::bigint, capture_count, capture_amount::bigint,
                   refund_count, refund_amount::bigint, advice_count, advice_amount::bigint, now()
            FROM totals
            WHERE home_region = @region
            {0})
        UPDATE settlement_runs
        SET after_account = coalesce((SELECT max(account_id) FROM totals), after_account),
            accounts = accounts + (SELECT count(*) FROM totals WHERE home_region = @region),
            chunks = chunks + 1,
            finished_at = CASE WHEN (SELECT count(*) FROM totals) < @chunk THEN now() END
        WHERE region = @region AND business_date = @date
        RETURNING finished_at IS NOT NULL
        """;

    private const string Upsert = """
        ON CONFLICT (region, business_date, account_id) DO UPDATE
        SET currency = excluded.currency, approved_count = excluded.approved_count,
            approved_amount = excluded.approved_amount, declined_count = excluded.declined_count,
            deposit_count = excluded.deposit_count, deposit_amount = excluded.deposit_amount,
            capture_count = excluded.capture_count, capture_amount = excluded.capture_amount,
            refund_count = excluded.refund_count, refund_amount = excluded.refund_amount,
            advice_count = excluded.advice_count, advice_amount = excluded.advice_amount,
            settled_at = excluded.settled_at
        WHERE (s.currency, s.approved_count, s.approved_amount, s.declined_count, s.deposit_count, s.deposit_amount,
               s.capture_count, s.capture_amount, s.refund_count, s.refund_amount, s.advice_count, s.advice_amount)
              IS DISTINCT FROM
              (excluded.currency, excluded.approved_count, excluded.approved_amount, excluded.declined_count,
               excluded.deposit_count, excluded.deposit_amount, excluded.capture_count, excluded.capture_amount,
               excluded.refund_count, excluded.refund_amount, excluded.advice_count, excluded.advice_amount)
        """;

    // A first pass writes accounts after the mark, where no row can be yet: a plain insert, about two thirds of the
    // cost of an upsert. Settling again, or a row that is there all the same, takes the upsert.
    private static readonly string InsertSql = string.Format(CultureInfo.InvariantCulture, Template, "");
    private static readonly string UpsertSql = string.Format(CultureInfo.InvariantCulture, Template, Upsert);

    /// <summary>Settles chunks until the day is finished (by this runner or another), pausing as the duty cycle says.</summary>
    public static async Task RunAsync(
        NpgsqlConnection connection, string region, DateOnly businessDate, SettlementOptions options, bool upsert,
        CancellationToken cancellationToken)
    {
        var finished = false;
        while (!finished)
        {
            try
            {
                var started = Stopwatch.GetTimestamp();
                finished = await NextAsync(
                    connection, region, businessDate, options.ChunkSize, upsert ? UpsertSql : InsertSql, cancellationToken);
                if (!finished && options.DutyCycle is > 0 and < 1)
                {
                    await Task.Delay(Stopwatch.GetElapsedTime(started) * ((1 - options.DutyCycle) / options.DutyCycle), cancellationToken);
                }
            }
            catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.UniqueViolation && !upsert)
            {
                // The chunk rolled back whole; from here on the run rewrites what differs instead.
                upsert = true;
            }
        }
    }

    private static async Task<bool> NextAsync(
        NpgsqlConnection connection, string region, DateOnly businessDate, int size, string sql, CancellationToken cancellationToken)
    {
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using var mark = new NpgsqlCommand(
            """
            SELECT after_account FROM settlement_runs
            WHERE region = @region AND business_date = @date AND finished_at IS NULL
            FOR UPDATE
            """, connection, transaction);
        mark.Parameters.AddWithValue("region", region);
        mark.Parameters.AddWithValue("date", businessDate);
        if (await mark.ExecuteScalarAsync(cancellationToken) is not string after)
        {
            return true;
        }

        await using var chunk = new NpgsqlCommand(sql, connection, transaction) { CommandTimeout = 0 };
        chunk.Parameters.AddWithValue("region", region);
        chunk.Parameters.AddWithValue("date", businessDate);
        chunk.Parameters.AddWithValue("after", after);
        chunk.Parameters.AddWithValue("chunk", size);
        var finished = await chunk.ExecuteScalarAsync(cancellationToken) is true;
        await transaction.CommitAsync(cancellationToken);
        return finished;
    }
}
