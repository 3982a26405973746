using Npgsql;
using Payments.Drill;

namespace Payments.Integration.Tests.Failover;

/// <summary>What the ledger says about a run, checked with SQL only (never with the code's own counters).</summary>
public sealed record LedgerAuditResult(
    int AccountsWithSeqGaps,
    int RowsBreakingTheBalanceChain,
    int NegativeBalances,
    int DaysOverTheDailyLimit,
    int EntryIdsRecordedTwice,
    int ApprovedAnswersMissing,
    int AnswersDisagreeingWithTheLedger,
    IReadOnlyList<string> DecidedBy)
{
    /// <summary>Every check at once, so that a failure shows all of them.</summary>
    public void AssertConsistent() => Assert.Equal(
        new { seqGaps = 0, chain = 0, negative = 0, overDaily = 0, twice = 0, missing = 0, disagreeing = 0 },
        new
        {
            seqGaps = AccountsWithSeqGaps, chain = RowsBreakingTheBalanceChain, negative = NegativeBalances,
            overDaily = DaysOverTheDailyLimit, twice = EntryIdsRecordedTwice, missing = ApprovedAnswersMissing,
            disagreeing = AnswersDisagreeingWithTheLedger,
        });
}

/// <summary>Audits the ledger rows of a set of accounts against the answers the terminals got.</summary>
public static class LedgerAudit
{
    public static async Task<LedgerAuditResult> RunAsync(
        NpgsqlConnection connection, IReadOnlyCollection<string> accountIds, IReadOnlyCollection<PaymentOutcome> answers, long dailyLimit)
    {
        var ids = accountIds.ToArray();
        var answered = answers.Where(a => a.Result != PaymentOutcome.Unanswered).ToList();
        return new LedgerAuditResult(
            await CountAsync(connection, """
                SELECT count(*) FROM (
                    SELECT account_id FROM ledger WHERE account_id = ANY(@ids)
                    GROUP BY account_id HAVING count(*) <> max(seq)) gaps
                """, ids),
            // Each row must follow from the one before it: linearizable decisions, whichever cluster made them.
            await CountAsync(connection, """
                SELECT count(*) FROM (
                    SELECT seq, kind, status, amount, balance_after,
                           lag(balance_after) OVER (PARTITION BY account_id ORDER BY seq) AS before
                    FROM ledger WHERE account_id = ANY(@ids)) r
                WHERE NOT CASE
                    WHEN kind = 'open' THEN seq = 1 AND balance_after = amount
                    WHEN kind = 'payment' AND status = 'approved' THEN balance_after = before - amount
                    WHEN kind = 'deposit' THEN balance_after = before + amount
                    ELSE balance_after = before
                END
                """, ids),
            await CountAsync(connection, "SELECT count(*) FROM ledger WHERE account_id = ANY(@ids) AND balance_after < 0", ids),
            await CountAsync(connection, """
                SELECT count(*) FROM (
                    SELECT 1 FROM ledger
                    WHERE account_id = ANY(@ids) AND kind = 'payment' AND status = 'approved'
                    GROUP BY account_id, business_date HAVING sum(amount) > @daily) over_limit
                """, ids, ("daily", dailyLimit)),
            await CountAsync(connection, """
                SELECT count(*) FROM (
                    SELECT 1 FROM ledger WHERE account_id = ANY(@ids)
                    GROUP BY account_id, entry_id HAVING count(*) > 1) twice
                """, ids),
            await CountAnswersAsync(connection, answered.Where(a => a.Result == PaymentOutcome.Approved).ToList(), """
                SELECT count(*) FROM unnest(@accounts, @keys, @amounts, @results, @deciders) AS a(account_id, entry_id, amount, result, decided_by)
                WHERE NOT EXISTS (SELECT 1 FROM ledger l
                                  WHERE l.account_id = a.account_id AND l.entry_id = a.entry_id AND l.status = 'approved')
                """),
            await CountAnswersAsync(connection, answered, """
                SELECT count(*) FROM unnest(@accounts, @keys, @amounts, @results, @deciders) AS a(account_id, entry_id, amount, result, decided_by)
                LEFT JOIN ledger l ON l.account_id = a.account_id AND l.entry_id = a.entry_id
                WHERE l.account_id IS NULL OR l.amount <> a.amount OR l.status <> a.result OR l.decided_by <> a.decided_by
                """),
            await DecidersAsync(connection, ids));
    }

    private static async Task<int> CountAsync(NpgsqlConnection connection, string sql, string[] ids, (string Name, long Value)? extra = null)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        command.Parameters.AddWithValue("ids", ids);
        if (extra is { } parameter)
        {
            command.Parameters.AddWithValue(parameter.Name, parameter.Value);
        }

        return Convert.ToInt32(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }

    private static async Task<int> CountAnswersAsync(NpgsqlConnection connection, IReadOnlyList<PaymentOutcome> answers, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        command.Parameters.AddWithValue("accounts", answers.Select(a => a.AccountId).ToArray());
        command.Parameters.AddWithValue("keys", answers.Select(a => a.Key).ToArray());
        command.Parameters.AddWithValue("amounts", answers.Select(a => a.Amount).ToArray());
        command.Parameters.AddWithValue("results", answers.Select(a => a.Result).ToArray());
        command.Parameters.AddWithValue("deciders", answers.Select(a => a.DecidedBy ?? "").ToArray());
        return Convert.ToInt32(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }

    private static async Task<IReadOnlyList<string>> DecidersAsync(NpgsqlConnection connection, string[] ids)
    {
        await using var command = new NpgsqlCommand(
            "SELECT DISTINCT decided_by FROM ledger WHERE account_id = ANY(@ids) AND kind = 'payment' ORDER BY decided_by", connection);
        command.Parameters.AddWithValue("ids", ids);
        var deciders = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            deciders.Add(reader.GetString(0));
        }

        return deciders;
    }
}
