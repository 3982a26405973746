using Npgsql;

namespace Payments.Integration.Tests.Infrastructure;

/// <summary>One ledger row, as the auditor reads it.</summary>
public sealed record LedgerRow(
    string AccountId, long Seq, string Kind, string EntryId, long Amount, string Status, long BalanceAfter);

/// <summary>An account's money according to the ledger's sums, and the balance its last row says.</summary>
public sealed record LedgerBalance(long FromSums, long LastBalanceAfter);

/// <summary>The ceilings every account under audit was opened with.</summary>
public sealed record Ceilings(long Daily, long Weekly, long Monthly);

/// <summary>
/// Reads the ledger with SQL, never through the code under test, and reports every broken invariant: seqs 1..n
/// with no gap, each row's balance following from the previous one, no business day, week or month over its
/// ceiling, no balance below zero.
/// </summary>
public sealed class LedgerAudit(RealServers servers)
{
    public async Task<IReadOnlyList<string>> ViolationsAsync(IReadOnlyCollection<string> accountIds, Ceilings ceilings)
    {
        var violations = new List<string>();
        violations.AddRange(await QueryAsync(
            """
            SELECT account_id || ': seqs ' || min(seq) || '..' || max(seq) || ' but ' || count(*) || ' rows'
            FROM ledger WHERE account_id = ANY(@ids)
            GROUP BY account_id HAVING min(seq) <> 1 OR max(seq) <> count(*)
            """,
            accountIds, reader => reader.GetString(0)));
        violations.AddRange(await QueryAsync(
            """
            SELECT account_id || ' seq ' || seq || ': balance ' || balance_after || ' after ' || coalesce(previous, 0)
            FROM (SELECT *, lag(balance_after) OVER (PARTITION BY account_id ORDER BY seq) AS previous
                  FROM ledger WHERE account_id = ANY(@ids)) AS rows
            WHERE balance_after < 0 OR balance_after <> CASE
                WHEN kind = 'open' THEN amount
                WHEN kind = 'deposit' THEN previous + amount
                WHEN kind = 'payment' AND status = 'approved' THEN previous - amount
                ELSE previous END
            """,
            accountIds, reader => reader.GetString(0)));
        violations.AddRange(await QueryAsync(
            """
            WITH approved AS (SELECT * FROM ledger WHERE account_id = ANY(@ids) AND kind = 'payment' AND status = 'approved')
            SELECT account_id || ' ' || period || ' from ' || start || ': spent ' || spent || ' over ' || ceiling
            FROM (SELECT account_id, 'day' AS period, business_date AS start, sum(amount) AS spent, @daily AS ceiling
                  FROM approved GROUP BY account_id, business_date
                  UNION ALL
                  SELECT account_id, 'week', date_trunc('week', business_date)::date, sum(amount), @weekly
                  FROM approved GROUP BY account_id, date_trunc('week', business_date)
                  UNION ALL
                  SELECT account_id, 'month', date_trunc('month', business_date)::date, sum(amount), @monthly
                  FROM approved GROUP BY account_id, date_trunc('month', business_date)) AS periods
            WHERE spent > ceiling
            """,
            accountIds, reader => reader.GetString(0),
            command =>
            {
                command.Parameters.AddWithValue("daily", ceilings.Daily);
                command.Parameters.AddWithValue("weekly", ceilings.Weekly);
                command.Parameters.AddWithValue("monthly", ceilings.Monthly);
            }));
        return violations;
    }

    /// <summary>Per account: initial balance + deposits − approved payments (SQL sums), and the last row's balance.</summary>
    public async Task<IReadOnlyDictionary<string, LedgerBalance>> BalancesAsync(IReadOnlyCollection<string> accountIds) =>
        (await QueryAsync(
            """
            SELECT account_id,
                   sum(amount) FILTER (WHERE kind = 'open')
                     + coalesce(sum(amount) FILTER (WHERE kind = 'deposit'), 0)
                     - coalesce(sum(amount) FILTER (WHERE kind = 'payment' AND status = 'approved'), 0),
                   (array_agg(balance_after ORDER BY seq DESC))[1]
            FROM ledger WHERE account_id = ANY(@ids) GROUP BY account_id
            """,
            accountIds, reader => (reader.GetString(0), new LedgerBalance(reader.GetInt64(1), reader.GetInt64(2)))))
        .ToDictionary(pair => pair.Item1, pair => pair.Item2, StringComparer.Ordinal);

    /// <summary>Approved payments of an account created in [from, to): what a period's counter must show.</summary>
    public async Task<long> SpentAsync(string accountId, DateTimeOffset from, DateTimeOffset to) =>
        (await QueryAsync(
            """
            SELECT coalesce(sum(amount), 0)::bigint FROM ledger
            WHERE account_id = ANY(@ids) AND kind = 'payment' AND status = 'approved'
              AND created_at >= @from AND created_at < @to
            """,
            [accountId], reader => reader.GetInt64(0),
            command =>
            {
                command.Parameters.AddWithValue("from", from.UtcDateTime);
                command.Parameters.AddWithValue("to", to.UtcDateTime);
            }))[0];

    /// <summary>Every row of the accounts, in seq order per account.</summary>
    public Task<IReadOnlyList<LedgerRow>> RowsAsync(IReadOnlyCollection<string> accountIds) =>
        QueryAsync(
            """
            SELECT account_id, seq, kind, entry_id, amount, status, balance_after
            FROM ledger WHERE account_id = ANY(@ids) ORDER BY account_id, seq
            """,
            accountIds,
            reader => new LedgerRow(
                reader.GetString(0), reader.GetInt64(1), reader.GetString(2), reader.GetString(3), reader.GetInt64(4),
                reader.GetString(5), reader.GetInt64(6)));

    private async Task<IReadOnlyList<T>> QueryAsync<T>(
        string sql, IReadOnlyCollection<string> accountIds, Func<NpgsqlDataReader, T> read, Action<NpgsqlCommand>? bind = null)
    {
        await using var connection = await servers.OpenPostgresAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        command.Parameters.AddWithValue("ids", accountIds.ToArray());
        bind?.Invoke(command);
        var rows = new List<T>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            rows.Add(read(reader));
        }

        return rows;
    }
}
