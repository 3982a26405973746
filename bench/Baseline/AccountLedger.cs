using Npgsql;

namespace Payments.Baseline;

/// <summary>
/// The conventional way to keep a balance and its ceilings: every payment or deposit is one transaction that locks
/// the account row (SELECT … FOR UPDATE), looks up the Idempotency-Key, decides, updates the row, inserts a ledger
/// row and commits synchronously: the same durability as Payments, paid for with a commit per request.
/// </summary>
public sealed class AccountLedger(NpgsqlDataSource dataSource)
{
    private const string BlockedMcc = "7995";
    private const string Region = "region-a";

    public async Task<bool> OpenAsync(string accountId, string currency, long initialBalance, LimitsBody limits)
    {
        await using var command = dataSource.CreateCommand("""
            INSERT INTO accounts (account_id, currency, initial_balance, balance, per_payment_limit, daily_limit,
                                  weekly_limit, monthly_limit, created_at)
            VALUES (@id, @currency, @balance, @balance, @per_payment, @daily, @weekly, @monthly, now())
            ON CONFLICT DO NOTHING
            """);
        command.Parameters.AddWithValue("id", accountId);
        command.Parameters.AddWithValue("currency", currency);
        command.Parameters.AddWithValue("balance", initialBalance);
        command.Parameters.AddWithValue("per_payment", limits.PerPayment ?? 50_000L);
        command.Parameters.AddWithValue("daily", limits.Daily ?? 100_000L);
        command.Parameters.AddWithValue("weekly", limits.Weekly ?? 300_000L);
        command.Parameters.AddWithValue("monthly", limits.Monthly ?? 800_000L);
        return await command.ExecuteNonQueryAsync() == 1;
    }

    public async Task<AccountAnswer?> FindAsync(string accountId)
    {
        await using var command = dataSource.CreateCommand("SELECT currency, balance FROM accounts WHERE account_id = @id");
        command.Parameters.AddWithValue("id", accountId);
        await using var reader = await command.ExecuteReaderAsync();
        return await reader.ReadAsync() ? new AccountAnswer(accountId, reader.GetString(0), reader.GetInt64(1)) : null;
    }

    public async Task<(WriteOutcome Outcome, PaymentAnswer? Payment)> PayAsync(string accountId, string key, PaymentBody body)
    {
        var (amount, currency, merchant, mcc) = (body.Amount!.Value, body.Currency!, body.Merchant!, body.Mcc!);
        var (outcome, row) = await WriteAsync(accountId, key, $"payment|{amount}|{currency}|{merchant}|{mcc}", (account, now) =>
        {
            var day = BusinessPeriods.Day(now);
            var reason = DeclineReason(account, day, amount, currency, mcc);
            if (reason is null)
            {
                account.Spend(day, amount);
            }

            return new LedgerRow(key, "payment", amount, currency, merchant, mcc, null,
                reason is null ? "approved" : "declined", reason, account.Balance, day, now);
        });
        return (outcome, row is null ? null : new PaymentAnswer(row.EntryId, accountId, row.Amount, row.Currency,
            row.Merchant ?? "", row.Mcc ?? "", row.Status, row.DeclineReason, row.BalanceAfter, row.CreatedAt, Region));
    }

    public async Task<(WriteOutcome Outcome, DepositAnswer? Deposit)> DepositAsync(string accountId, string key, DepositBody body)
    {
        var (amount, currency, reference) = (body.Amount!.Value, body.Currency!, body.Reference!);
        var (outcome, row) = await WriteAsync(accountId, key, $"deposit|{amount}|{currency}|{reference}", (account, now) =>
        {
            account.Balance = checked(account.Balance + amount);
            return new LedgerRow(key, "deposit", amount, currency, null, null, reference, "approved", null,
                account.Balance, BusinessPeriods.Day(now), now);
        });
        return (outcome, row is null ? null : new DepositAnswer(
            row.EntryId, accountId, row.Amount, row.Currency, row.Reference ?? "", row.BalanceAfter, row.CreatedAt, Region));
    }

    private static string? DeclineReason(LockedAccount account, DateOnly day, long amount, string currency, string mcc) =>
        currency != account.Currency ? "currency_mismatch"
        : mcc == BlockedMcc ? "category_blocked"
        : amount > account.PerPayment ? "per_payment_limit_exceeded"
        : amount > account.Balance ? "insufficient_funds"
        : account.DaySpent(day) + amount > account.Daily ? "daily_limit_exceeded"
        : account.WeekSpent(day) + amount > account.Weekly ? "weekly_limit_exceeded"
        : account.MonthSpent(day) + amount > account.Monthly ? "monthly_limit_exceeded"
        : null;

    private async Task<(WriteOutcome, LedgerRow?)> WriteAsync(
        string accountId, string key, string requestHash, Func<LockedAccount, DateTimeOffset, LedgerRow> decide)
    {
        await using var connection = await dataSource.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        var account = await LockedAccount.LockAsync(connection, transaction, accountId);
        if (account is null)
        {
            return (WriteOutcome.NotFound, null);
        }

        // Looked up under the row lock, so two requests with the same key cannot both decide.
        if (await FindEntryAsync(connection, transaction, accountId, key) is { } existing)
        {
            await transaction.CommitAsync();
            return existing.Hash == requestHash ? (WriteOutcome.Replayed, existing.Row) : (WriteOutcome.KeyReused, null);
        }

        var now = DateTimeOffset.UtcNow;
        var row = decide(account, now.AddTicks(-(now.Ticks % TimeSpan.TicksPerMicrosecond)));
        if (row.Status == "approved")
        {
            await account.SaveAsync(connection, transaction);
        }

        await using (var insert = new NpgsqlCommand("""
            INSERT INTO ledger (account_id, entry_id, kind, request_hash, amount, currency, merchant, mcc, reference, status,
                                decline_reason, balance_after, business_date, created_at)
            VALUES (@account, @entry, @kind, @hash, @amount, @currency, @merchant, @mcc, @reference, @status, @reason,
                    @balance_after, @business_date, @created_at)
            """, connection, transaction))
        {
            insert.Parameters.AddWithValue("account", accountId);
            insert.Parameters.AddWithValue("entry", row.EntryId);
            insert.Parameters.AddWithValue("kind", row.Kind);
            insert.Parameters.AddWithValue("hash", requestHash);
            insert.Parameters.AddWithValue("amount", row.Amount);
            insert.Parameters.AddWithValue("currency", row.Currency);
            insert.Parameters.AddWithValue("merchant", (object?)row.Merchant ?? DBNull.Value);
            insert.Parameters.AddWithValue("mcc", (object?)row.Mcc ?? DBNull.Value);
            insert.Parameters.AddWithValue("reference", (object?)row.Reference ?? DBNull.Value);
            insert.Parameters.AddWithValue("status", row.Status);
            insert.Parameters.AddWithValue("reason", (object?)row.DeclineReason ?? DBNull.Value);
            insert.Parameters.AddWithValue("balance_after", row.BalanceAfter);
            insert.Parameters.AddWithValue("business_date", row.BusinessDate);
            insert.Parameters.AddWithValue("created_at", row.CreatedAt);
            await insert.ExecuteNonQueryAsync();
        }

        await transaction.CommitAsync();
        return (WriteOutcome.Created, row);
    }

    private static async Task<(string Hash, LedgerRow Row)?> FindEntryAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, string accountId, string key)
    {
        await using var command = new NpgsqlCommand("""
            SELECT request_hash, kind, amount, currency, merchant, mcc, reference, status, decline_reason, balance_after,
                   business_date, created_at
            FROM ledger WHERE account_id = @account AND entry_id = @entry
            """, connection, transaction);
        command.Parameters.AddWithValue("account", accountId);
        command.Parameters.AddWithValue("entry", key);
        await using var reader = await command.ExecuteReaderAsync();
        if (!await reader.ReadAsync())
        {
            return null;
        }

        return (reader.GetString(0), new LedgerRow(
            key, reader.GetString(1), reader.GetInt64(2), reader.GetString(3),
            reader.IsDBNull(4) ? null : reader.GetString(4), reader.IsDBNull(5) ? null : reader.GetString(5),
            reader.IsDBNull(6) ? null : reader.GetString(6), reader.GetString(7), reader.IsDBNull(8) ? null : reader.GetString(8),
            reader.GetInt64(9), reader.GetFieldValue<DateOnly>(10), reader.GetFieldValue<DateTimeOffset>(11)));
    }

    private sealed record LedgerRow(
        string EntryId, string Kind, long Amount, string Currency, string? Merchant, string? Mcc, string? Reference,
        string Status, string? DeclineReason, long BalanceAfter, DateOnly BusinessDate, DateTimeOffset CreatedAt);
}
