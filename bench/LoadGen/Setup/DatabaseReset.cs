using Npgsql;

namespace Payments.LoadGen.Setup;

/// <summary>Drops and creates a benchmark database, so that every run starts from empty tables.</summary>
public static class DatabaseReset
{
    public static async Task ResetAsync(string connectionString)
    {
        var target = new NpgsqlConnectionStringBuilder(connectionString);
        var database = target.Database ?? throw new ArgumentException("The connection string names no database.");
        if (database is "payments" or "postgres")
        {
            throw new ArgumentException($"Refusing to drop '{database}': benchmarks use databases of their own.");
        }

        var server = new NpgsqlConnectionStringBuilder(connectionString) { Database = "postgres", Pooling = false };
        await using var connection = new NpgsqlConnection(server.ConnectionString);
        await connection.OpenAsync();
        var name = new NpgsqlCommandBuilder().QuoteIdentifier(database);
        await using (var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS {name} WITH (FORCE)", connection))
        {
            await drop.ExecuteNonQueryAsync();
        }

        await using (var create = new NpgsqlCommand($"CREATE DATABASE {name}", connection))
        {
            await create.ExecuteNonQueryAsync();
        }

        Console.WriteLine($"database {database}: created empty");
    }
}
