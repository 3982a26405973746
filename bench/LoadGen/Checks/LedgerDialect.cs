namespace Payments.LoadGen.Checks;

/// <summary>
/// Where a system keeps what the invariant checks need, as two queries limited to the run's accounts (<c>@prefix</c>).
/// </summary>
/// <param name="Rows">
/// Every row of the accounts as <see cref="LedgerRow"/>'s columns in order (account_id, seq, kind, entry_id, amount,
/// approved, balance_after, available_after, business_date, authorization_id, expires_at, from_hold, released, final,
/// forced, over_capture_percent, advised_hold, decided_on, daily, weekly, monthly, has_limits), ordered by account and seq.
/// </param>
/// <param name="Balances">Rows (account_id, balance): the balance the system itself keeps for each account.</param>
public sealed record LedgerDialect(string Name, string Rows, string Balances)
{
    /// <summary>
    /// Payments: the plain columns of each row and, from its versioned payload (Grains/Ledger/Changes), what the columns
    /// leave out: a capture's split between the hold and new money, the tolerance of an authorization, an advice's kind and
    /// day, the limits of an open or settings row (the settings column is no longer written since migration 0008).
    /// The newest row holds the balance.
    /// </summary>
    public static readonly LedgerDialect Payments = new(
        "Payments",
        """
        SELECT account_id, seq, kind, entry_id, amount, status = 'approved', balance_after, available_after, business_date,
               authorization_id, expires_at,
               COALESCE((payload->>'fromHold')::bigint, 0), COALESCE((payload->>'released')::bigint, 0),
               COALESCE((payload->>'final')::boolean, false), COALESCE((payload->>'forced')::boolean, false),
               COALESCE((payload->>'overCapturePercent')::int, 0),
               CASE WHEN kind = 'advice' THEN payload->>'adviceKind' = 'authorization' END, (payload->>'decidedOn')::date,
               (payload->'settings'->'limits'->>'daily')::bigint, (payload->'settings'->'limits'->>'weekly')::bigint,
               (payload->'settings'->'limits'->>'monthly')::bigint, kind IN ('open', 'settings')
        FROM ledger WHERE account_id LIKE @prefix ORDER BY account_id, seq
        """,
        """
        SELECT DISTINCT ON (account_id) account_id, balance_after FROM ledger WHERE account_id LIKE @prefix
        ORDER BY account_id, seq DESC
        """);

    /// <summary>
    /// The baseline: no holds; the account row holds the initial balance, the limits and the balance, and stands as the
    /// account's open row (seq 0) before its ledger rows.
    /// </summary>
    public static readonly LedgerDialect Baseline = new(
        "Baseline",
        """
        SELECT account_id, 0::bigint AS seq, 'open', '', initial_balance, true, initial_balance, initial_balance,
               created_at::date, NULL::text, NULL::timestamptz, 0::bigint, 0::bigint, false, false, 0, NULL::boolean, NULL::date,
               daily_limit, weekly_limit, monthly_limit, true
        FROM accounts WHERE account_id LIKE @prefix
        UNION ALL
        SELECT account_id, id, kind, entry_id, amount, status = 'approved', balance_after, balance_after, business_date,
               NULL, NULL, 0, 0, false, false, 0, NULL, NULL, NULL, NULL, NULL, false
        FROM ledger WHERE account_id LIKE @prefix
        ORDER BY 1, 2
        """,
        "SELECT account_id, balance FROM accounts WHERE account_id LIKE @prefix");
}
