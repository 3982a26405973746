using Npgsql;

namespace Payments.Integration.Tests.Settlement;

/// <summary>What the tests read straight from the tables, written independently of the code under test.</summary>
internal static class SettlementSql
{
    /// <summary>
    /// One line per account: id, currency, approved count and sum, declined count, deposit count and sum, capture,
    /// refund and advice counts and sums (the sum of advices: what payment advices posted).
    /// </summary>
    public static Task<List<string>> ExpectedFromLedgerAsync(NpgsqlDataSource db, string region, DateOnly date) => LinesAsync(db,
        """
        SELECT concat_ws('|', l.account_id, a.currency,
               sum(CASE WHEN l.kind = 'payment' AND l.status = 'approved' THEN 1 ELSE 0 END),
               sum(CASE WHEN l.kind = 'payment' AND l.status = 'approved' THEN l.amount ELSE 0 END),
               sum(CASE WHEN l.kind = 'payment' AND l.status = 'declined' THEN 1 ELSE 0 END),
               sum(CASE WHEN l.kind = 'deposit' THEN 1 ELSE 0 END),
               sum(CASE WHEN l.kind = 'deposit' THEN l.amount ELSE 0 END),
               sum(CASE WHEN l.kind = 'capture' THEN 1 ELSE 0 END),
               sum(CASE WHEN l.kind = 'capture' THEN l.amount ELSE 0 END),
               sum(CASE WHEN l.kind = 'refund' THEN 1 ELSE 0 END),
               sum(CASE WHEN l.kind = 'refund' THEN l.amount ELSE 0 END),
               sum(CASE WHEN l.kind = 'advice' THEN 1 ELSE 0 END),
               sum(CASE WHEN l.kind = 'advice' AND l.payload->>'adviceKind' = 'payment' THEN l.amount ELSE 0 END))
        FROM ledger l JOIN accounts a ON a.account_id = l.account_id
        WHERE a.home_region = @region AND l.business_date = @date AND l.kind <> 'open' AND l.kind <> 'settings'
        GROUP BY l.account_id, a.currency
        ORDER BY l.account_id
        """, region, date);

    /// <summary>The settlement rows in the same shape, with their settled_at when asked (to see that nothing was rewritten).</summary>
    public static Task<List<string>> SettledAsync(NpgsqlDataSource db, string region, DateOnly date, bool withTime = false) => LinesAsync(db,
        $"""
        SELECT concat_ws('|', account_id, currency, approved_count, approved_amount, declined_count, deposit_count,
                         deposit_amount, capture_count, capture_amount, refund_count, refund_amount, advice_count,
                         advice_amount{(withTime ? ", settled_at" : "")})
        FROM settlements WHERE region = @region AND business_date = @date
        ORDER BY account_id
        """, region, date);

    private static async Task<List<string>> LinesAsync(NpgsqlDataSource db, string sql, string region, DateOnly date)
    {
        await using var command = db.CreateCommand(sql);
        command.Parameters.AddWithValue("region", region);
        command.Parameters.AddWithValue("date", date);
        var lines = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            lines.Add(reader.GetString(0));
        }

        return lines;
    }
}
