using Npgsql;
using NpgsqlTypes;
using Payments.LoadGen.Http;
using Payments.LoadGen.Running;

namespace Payments.LoadGen.Checks;

/// <summary>One invariant and how many rows broke it (0 = holds).</summary>
public sealed record InvariantResult(string Invariant, long Violations, string Scope);

/// <summary>
/// Checks the product's invariants from the system's own database after a run, never from the load generator's
/// counters: balances add up, no balance below zero, no period over its ceiling, every approved answer in the
/// ledger exactly once; and through the API, that the balances it shows are the ledger's.
/// </summary>
public sealed class InvariantChecker(string connectionString, LedgerDialect dialect, string accountPrefix)
{
    private const int ApiSample = 20;

    public async Task<IReadOnlyList<InvariantResult>> CheckAsync(
        IReadOnlyCollection<ApprovedPayment> approved, long retryMismatches, ApiClient api, IEnumerable<string> busiestAccounts)
    {
        await using var dataSource = NpgsqlDataSource.Create(connectionString);
        await using var connection = await dataSource.OpenConnectionAsync();
        var accounts = await ScalarAsync(connection, $"WITH b AS ({dialect.Balances}) SELECT count(*) FROM b");
        var rows = await ScalarAsync(connection, "SELECT count(*) FROM ledger WHERE account_id LIKE @prefix");
        var scope = $"{accounts:N0} accounts, {rows:N0} ledger rows";
        var distinctApproved = approved.Distinct().ToList();
        await LoadApprovedAsync(connection, distinctApproved);
        return
        [
            new("balance = initial + deposits − approved, every account", await ScalarAsync(connection,
                $"WITH b AS ({dialect.Balances}) SELECT count(*) FROM b WHERE expected <> actual"), scope),
            new("balance_after ≥ 0 on every ledger row", await ScalarAsync(connection,
                "SELECT count(*) FROM ledger WHERE account_id LIKE @prefix AND balance_after < 0"), scope),
            new("no day, week or month over its ceiling", await ScalarAsync(connection, CeilingBreaches), scope),
            new("every approved answer in the ledger exactly once", await ScalarAsync(connection,
                """
                SELECT count(*) FROM approved_answers x
                WHERE (SELECT count(*) FROM ledger l WHERE l.account_id = x.account_id AND l.entry_id = x.payment_id
                       AND l.kind = 'payment' AND l.status = 'approved') <> 1
                """), $"{distinctApproved.Count:N0} approved answers"),
            new("a retry returns the first answer, never a new decision", retryMismatches, "every retry sent"),
            new("the API shows the ledger's balance", await ApiMismatchesAsync(connection, api, busiestAccounts),
                $"the {ApiSample} busiest accounts"),
        ];
    }

    private string CeilingBreaches => $"""
        WITH lim AS ({dialect.Limits}),
             paid AS (SELECT account_id, business_date, amount FROM ledger
                      WHERE account_id LIKE @prefix AND kind = 'payment' AND status = 'approved')
        SELECT
          (SELECT count(*) FROM (SELECT account_id, sum(amount) AS spent FROM paid GROUP BY account_id, business_date) p
             JOIN lim USING (account_id) WHERE spent > daily)
        + (SELECT count(*) FROM (SELECT account_id, sum(amount) AS spent FROM paid
             GROUP BY account_id, date_trunc('week', business_date)) p JOIN lim USING (account_id) WHERE spent > weekly)
        + (SELECT count(*) FROM (SELECT account_id, sum(amount) AS spent FROM paid
             GROUP BY account_id, date_trunc('month', business_date)) p JOIN lim USING (account_id) WHERE spent > monthly)
        """;

    private async Task<long> ApiMismatchesAsync(NpgsqlConnection connection, ApiClient api, IEnumerable<string> busiestAccounts)
    {
        var mismatches = 0L;
        foreach (var accountId in busiestAccounts.Take(ApiSample))
        {
            await using var command = Command(connection, $"WITH b AS ({dialect.Balances}) SELECT actual FROM b WHERE account_id = @id");
            command.Parameters.AddWithValue("id", accountId);
            var ledger = await command.ExecuteScalarAsync() as long?;
            if (ledger is null || await api.BalanceAsync(accountId) != ledger)
            {
                mismatches++;
            }
        }

        return mismatches;
    }

    private static async Task LoadApprovedAsync(NpgsqlConnection connection, IReadOnlyList<ApprovedPayment> approved)
    {
        await using (var create = new NpgsqlCommand(
            "CREATE TEMP TABLE approved_answers (account_id text NOT NULL, payment_id text NOT NULL, PRIMARY KEY (account_id, payment_id))",
            connection))
        {
            await create.ExecuteNonQueryAsync();
        }

        await using var import = await connection.BeginBinaryImportAsync(
            "COPY approved_answers (account_id, payment_id) FROM STDIN (FORMAT BINARY)");
        foreach (var payment in approved)
        {
            await import.StartRowAsync();
            await import.WriteAsync(payment.AccountId, NpgsqlDbType.Text);
            await import.WriteAsync(payment.PaymentId, NpgsqlDbType.Text);
        }

        await import.CompleteAsync();
    }

    private async Task<long> ScalarAsync(NpgsqlConnection connection, string sql)
    {
        await using var command = Command(connection, sql);
        return Convert.ToInt64(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }

    private NpgsqlCommand Command(NpgsqlConnection connection, string sql)
    {
        // Checks scan the whole run; a slow one must not be cut off by the 30 s default.
        var command = new NpgsqlCommand(sql, connection) { CommandTimeout = 600 };
        command.Parameters.AddWithValue("prefix", accountPrefix + "-%");
        return command;
    }
}
