using Npgsql;

namespace Payments.Api.Routing;

/// <summary>Reads an account's home region from the <c>accounts</c> table (written when the account is opened).</summary>
public sealed class PostgresHomeRegionSource(NpgsqlDataSource dataSource) : IHomeRegionSource
{
    public async Task<string?> FindAsync(string accountId, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("SELECT home_region FROM accounts WHERE account_id = @account_id");
        command.Parameters.AddWithValue("account_id", accountId);
        return await command.ExecuteScalarAsync(cancellationToken) as string;
    }
}
