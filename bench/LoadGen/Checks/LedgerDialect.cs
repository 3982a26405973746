namespace Payments.LoadGen.Checks;

/// <summary>
/// Where a system keeps what the invariant checks need. Both ledgers have a <c>ledger</c> table with account_id,
/// entry_id, kind, amount, status, balance_after and business_date; they differ in where the ceilings and the
/// current balance live. Each query is limited to the run's accounts (<c>@prefix</c>).
/// </summary>
/// <param name="Limits">Rows (account_id, daily, weekly, monthly).</param>
/// <param name="Balances">Rows (account_id, expected, actual): initial + deposits − approved, and the balance the system holds.</param>
public sealed record LedgerDialect(string Name, string Limits, string Balances)
{
    private const string SignedAmount =
        "CASE WHEN kind IN ('open', 'deposit') THEN amount WHEN kind = 'payment' AND status = 'approved' THEN -amount ELSE 0 END";

    /// <summary>
    /// Payments: the open row holds the initial balance and, in its payload, the limits (the settings column is no
    /// longer written since migration 0008: read from it, every limit was null and no ceiling could be found broken);
    /// the newest row holds the balance.
    /// </summary>
    public static readonly LedgerDialect Payments = new(
        "Payments",
        """
        SELECT account_id, (payload->'settings'->'limits'->>'daily')::bigint AS daily,
               (payload->'settings'->'limits'->>'weekly')::bigint AS weekly,
               (payload->'settings'->'limits'->>'monthly')::bigint AS monthly
        FROM ledger WHERE kind = 'open' AND account_id LIKE @prefix
        """,
        $"""
        SELECT account_id, sum({SignedAmount}) AS expected, (array_agg(balance_after ORDER BY seq DESC))[1] AS actual
        FROM ledger WHERE account_id LIKE @prefix GROUP BY account_id
        """);

    /// <summary>The baseline: the account row holds the initial balance, the limits and the balance.</summary>
    public static readonly LedgerDialect Baseline = new(
        "Baseline",
        """
        SELECT account_id, daily_limit AS daily, weekly_limit AS weekly, monthly_limit AS monthly
        FROM accounts WHERE account_id LIKE @prefix
        """,
        $"""
        SELECT a.account_id, a.initial_balance + COALESCE(sum({SignedAmount}), 0) AS expected, a.balance AS actual
        FROM accounts a LEFT JOIN ledger l ON l.account_id = a.account_id
        WHERE a.account_id LIKE @prefix GROUP BY a.account_id, a.initial_balance, a.balance
        """);
}
