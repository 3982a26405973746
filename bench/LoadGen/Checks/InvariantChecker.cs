using Npgsql;
using Payments.LoadGen.Http;

namespace Payments.LoadGen.Checks;

/// <summary>One invariant and how many rows broke it (0 = holds).</summary>
public sealed record InvariantResult(string Invariant, long Violations, string Scope);

/// <summary>
/// Checks the product's invariants from the system's own database after a run, never from the load generator's
/// counters: the ledger's rows of the run's accounts go through <see cref="LedgerAudit"/>; and through the API, that
/// the balances and holds it shows are the ledger's.
/// </summary>
public sealed class InvariantChecker(string connectionString, LedgerDialect dialect, string accountPrefix)
{
    private const int ApiSample = 20;

    public async Task<IReadOnlyList<InvariantResult>> CheckAsync(
        IReadOnlyCollection<RecordedEntry> recorded, long retryMismatches, ApiClient api, IEnumerable<string> busiestAccounts)
    {
        await using var dataSource = NpgsqlDataSource.Create(connectionString);
        await using var connection = await dataSource.OpenConnectionAsync();
        var rows = await ReadRowsAsync(connection);
        var balances = await ReadBalancesAsync(connection);
        var found = LedgerAudit.Check(rows, balances, recorded, DateTimeOffset.UtcNow);
        var scope = $"{balances.Count:N0} accounts, {rows.Count:N0} ledger rows";
        var holds = $"{found.Authorizations:N0} approved authorizations";
        return
        [
            new("balance = initial + deposits + refunds − payments − captures − advised payments, every row and account",
                found.Balances, scope),
            new("no approved payment, authorization or increment leaves available money below zero", found.AvailableBelowZero, scope),
            new("held = what the open authorizations hold, every row", found.Held, scope),
            new("a hold is released once: nothing taken off it beyond what it held", found.ReleasedTwice, holds),
            new("captures within the authorized amount and increments plus overCapturePercent", found.OverCaptured, holds),
            new("every approved authorization open, or closed, reversed or expired once; none open a minute past its expiry",
                found.Lifecycle, holds),
            new("no day, week or month over its ceiling after a decision of the system, holds counted", found.Ceilings, scope),
            new("every recorded answer in the ledger exactly once", found.AnswersNotOnce,
                $"{recorded.Distinct().Count():N0} recorded answers"),
            new("a retry returns the first answer, never a new decision", retryMismatches, "every retry sent"),
            new("the API shows the ledger's balance and held", await ApiMismatchesAsync(rows, api, busiestAccounts),
                $"the {ApiSample} busiest accounts"),
        ];
    }

    private static async Task<long> ApiMismatchesAsync(IReadOnlyList<LedgerRow> rows, ApiClient api, IEnumerable<string> busiestAccounts)
    {
        var newest = new Dictionary<string, LedgerRow>(StringComparer.Ordinal);
        foreach (var row in rows)
        {
            newest[row.AccountId] = row;
        }

        var mismatches = 0L;
        foreach (var accountId in busiestAccounts.Take(ApiSample))
        {
            var shown = await api.AccountAsync(accountId);
            if (!newest.TryGetValue(accountId, out var row) || shown is null || shown.Value.Balance != row.BalanceAfter
                || shown.Value.Held is { } held && held != row.BalanceAfter - row.AvailableAfter)
            {
                mismatches++;
            }
        }

        return mismatches;
    }

    private async Task<List<LedgerRow>> ReadRowsAsync(NpgsqlConnection connection)
    {
        await using var command = Command(connection, dialect.Rows);
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<LedgerRow>();
        while (await reader.ReadAsync())
        {
            rows.Add(new LedgerRow(
                reader.GetString(0), reader.GetInt64(1), reader.GetString(2), reader.GetString(3), reader.GetInt64(4),
                reader.GetBoolean(5), reader.GetInt64(6), reader.GetInt64(7), reader.GetFieldValue<DateOnly>(8),
                Optional<string>(reader, 9), reader.IsDBNull(10) ? null : reader.GetFieldValue<DateTimeOffset>(10),
                reader.GetInt64(11), reader.GetInt64(12), reader.GetBoolean(13), reader.GetBoolean(14), reader.GetInt32(15),
                reader.IsDBNull(16) ? null : reader.GetBoolean(16), reader.IsDBNull(17) ? null : reader.GetFieldValue<DateOnly>(17),
                reader.GetBoolean(21)
                    ? new Ceilings(OptionalLong(reader, 18), OptionalLong(reader, 19), OptionalLong(reader, 20))
                    : null));
        }

        return rows;
    }

    private async Task<Dictionary<string, long>> ReadBalancesAsync(NpgsqlConnection connection)
    {
        await using var command = Command(connection, dialect.Balances);
        await using var reader = await command.ExecuteReaderAsync();
        var balances = new Dictionary<string, long>(StringComparer.Ordinal);
        while (await reader.ReadAsync())
        {
            balances[reader.GetString(0)] = reader.GetInt64(1);
        }

        return balances;
    }

    private static T? Optional<T>(NpgsqlDataReader reader, int ordinal) where T : class =>
        reader.IsDBNull(ordinal) ? null : reader.GetFieldValue<T>(ordinal);

    private static long? OptionalLong(NpgsqlDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetInt64(ordinal);

    private NpgsqlCommand Command(NpgsqlConnection connection, string sql)
    {
        // Checks read the whole run; a slow one must not be cut off by the 30 s default.
        var command = new NpgsqlCommand(sql, connection) { CommandTimeout = 600 };
        command.Parameters.AddWithValue("prefix", accountPrefix + "-%");
        return command;
    }
}
