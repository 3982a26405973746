using Npgsql;

namespace Payments.Api.Routing;

/// <summary>
/// Pings the ledger's PostgreSQL through the API's own data source, whose connection string asks for the primary
/// (<c>Target Session Attributes=primary</c>): a standby alone, mid-promotion, does not answer it.
/// </summary>
public sealed class PostgresSharedStorePing(NpgsqlDataSource dataSource) : ISharedStorePing
{
    public async Task PingAsync(CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("SELECT 1");
        await command.ExecuteScalarAsync(cancellationToken);
    }
}
