using Npgsql;

namespace Payments.Baseline;

/// <summary>Creates the baseline's own database and tables when they are missing.</summary>
public static class BaselineSchema
{
    // The shape a typical team gives it: a surrogate key on the ledger, the idempotency key unique per account, the
    // balance and the period counters on the account row. Columns the invariant checks read are named as in Payments.
    private const string Tables = """
        CREATE TABLE IF NOT EXISTS accounts (
            account_id         text        PRIMARY KEY,
            currency           char(3)     NOT NULL,
            initial_balance    bigint      NOT NULL,
            balance            bigint      NOT NULL CHECK (balance >= 0),
            per_payment_limit  bigint      NOT NULL,
            daily_limit        bigint      NOT NULL,
            weekly_limit       bigint      NOT NULL,
            monthly_limit      bigint      NOT NULL,
            day_start          date,
            day_spent          bigint      NOT NULL DEFAULT 0,
            week_start         date,
            week_spent         bigint      NOT NULL DEFAULT 0,
            month_start        date,
            month_spent        bigint      NOT NULL DEFAULT 0,
            created_at         timestamptz NOT NULL
        );
        CREATE TABLE IF NOT EXISTS ledger (
            id              bigserial   PRIMARY KEY,
            account_id      text        NOT NULL REFERENCES accounts (account_id),
            entry_id        text        NOT NULL,
            kind            text        NOT NULL,
            request_hash    text        NOT NULL,
            amount          bigint      NOT NULL,
            currency        char(3)     NOT NULL,
            merchant        text,
            mcc             char(4),
            reference       text,
            status          text        NOT NULL,
            decline_reason  text,
            balance_after   bigint      NOT NULL CHECK (balance_after >= 0),
            business_date   date        NOT NULL,
            created_at      timestamptz NOT NULL,
            UNIQUE (account_id, entry_id)
        );
        CREATE INDEX IF NOT EXISTS ledger_business_date ON ledger (business_date);
        """;

    public static async Task EnsureAsync(string connectionString)
    {
        var target = new NpgsqlConnectionStringBuilder(connectionString);
        var server = new NpgsqlConnectionStringBuilder(connectionString) { Database = "postgres", Pooling = false };
        await using (var connection = new NpgsqlConnection(server.ConnectionString))
        {
            await connection.OpenAsync();
            await using var exists = new NpgsqlCommand("SELECT 1 FROM pg_database WHERE datname = @name", connection);
            exists.Parameters.AddWithValue("name", target.Database!);
            if (await exists.ExecuteScalarAsync() is null)
            {
                await using var create = new NpgsqlCommand(
                    $"CREATE DATABASE {new NpgsqlCommandBuilder().QuoteIdentifier(target.Database!)}", connection);
                await create.ExecuteNonQueryAsync();
            }
        }

        await using var database = new NpgsqlConnection(connectionString);
        await database.OpenAsync();
        await using var tables = new NpgsqlCommand(Tables, database);
        await tables.ExecuteNonQueryAsync();
    }
}
