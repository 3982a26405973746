using Npgsql;

namespace Payments.Integration.Tests.Infrastructure;

/// <summary>One-value queries against the payments database, for assertions.</summary>
public static class PostgresQueries
{
    public static async Task<T> ScalarAsync<T>(this RealServers servers, string sql, params (string Name, object Value)[] parameters)
    {
        await using var connection = await servers.OpenPostgresAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        return (T)(await command.ExecuteScalarAsync())!;
    }
}
