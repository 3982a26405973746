using Npgsql;

namespace Payments.Baseline;

/// <summary>An account row read with FOR UPDATE: no other transaction changes it until this one ends.</summary>
public sealed class LockedAccount
{
    private DateOnly? _dayStart;
    private long _daySpent;
    private DateOnly? _weekStart;
    private long _weekSpent;
    private DateOnly? _monthStart;
    private long _monthSpent;

    private LockedAccount(string accountId) => AccountId = accountId;

    public string AccountId { get; }

    public string Currency { get; private init; } = "";

    public long Balance { get; set; }

    public long PerPayment { get; private init; }

    public long Daily { get; private init; }

    public long Weekly { get; private init; }

    public long Monthly { get; private init; }

    public static async Task<LockedAccount?> LockAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string accountId)
    {
        await using var command = new NpgsqlCommand("""
            SELECT currency, balance, per_payment_limit, daily_limit, weekly_limit, monthly_limit,
                   day_start, day_spent, week_start, week_spent, month_start, month_spent
            FROM accounts WHERE account_id = @id FOR UPDATE
            """, connection, transaction);
        command.Parameters.AddWithValue("id", accountId);
        await using var reader = await command.ExecuteReaderAsync();
        if (!await reader.ReadAsync())
        {
            return null;
        }

        return new LockedAccount(accountId)
        {
            Currency = reader.GetString(0),
            Balance = reader.GetInt64(1),
            PerPayment = reader.GetInt64(2),
            Daily = reader.GetInt64(3),
            Weekly = reader.GetInt64(4),
            Monthly = reader.GetInt64(5),
            _dayStart = reader.IsDBNull(6) ? null : reader.GetFieldValue<DateOnly>(6),
            _daySpent = reader.GetInt64(7),
            _weekStart = reader.IsDBNull(8) ? null : reader.GetFieldValue<DateOnly>(8),
            _weekSpent = reader.GetInt64(9),
            _monthStart = reader.IsDBNull(10) ? null : reader.GetFieldValue<DateOnly>(10),
            _monthSpent = reader.GetInt64(11),
        };
    }

    /// <summary>What was spent in the business day <paramref name="day"/>; a counter of an older day reads as zero.</summary>
    public long DaySpent(DateOnly day) => _dayStart == day ? _daySpent : 0;

    public long WeekSpent(DateOnly day) => _weekStart == BusinessPeriods.Week(day) ? _weekSpent : 0;

    public long MonthSpent(DateOnly day) => _monthStart == BusinessPeriods.Month(day) ? _monthSpent : 0;

    public void Spend(DateOnly day, long amount)
    {
        (_daySpent, _weekSpent, _monthSpent) = (DaySpent(day) + amount, WeekSpent(day) + amount, MonthSpent(day) + amount);
        (_dayStart, _weekStart, _monthStart) = (day, BusinessPeriods.Week(day), BusinessPeriods.Month(day));
        Balance -= amount;
    }

    public async Task SaveAsync(NpgsqlConnection connection, NpgsqlTransaction transaction)
    {
        await using var command = new NpgsqlCommand("""
            UPDATE accounts SET balance = @balance, day_start = @day_start, day_spent = @day_spent,
                                week_start = @week_start, week_spent = @week_spent,
                                month_start = @month_start, month_spent = @month_spent
            WHERE account_id = @id
            """, connection, transaction);
        command.Parameters.AddWithValue("id", AccountId);
        command.Parameters.AddWithValue("balance", Balance);
        command.Parameters.AddWithValue("day_start", (object?)_dayStart ?? DBNull.Value);
        command.Parameters.AddWithValue("day_spent", _daySpent);
        command.Parameters.AddWithValue("week_start", (object?)_weekStart ?? DBNull.Value);
        command.Parameters.AddWithValue("week_spent", _weekSpent);
        command.Parameters.AddWithValue("month_start", (object?)_monthStart ?? DBNull.Value);
        command.Parameters.AddWithValue("month_spent", _monthSpent);
        await command.ExecuteNonQueryAsync();
    }
}
