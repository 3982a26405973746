using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Npgsql;
using StackExchange.Redis;

namespace Payments.Hosting.Health;

/// <summary>Readiness checks of the stores a host depends on: each one a real round trip, not a pooled handle.</summary>
public static class StoreHealthChecks
{
    /// <summary>The tag of the checks that <c>/health/ready</c> runs.</summary>
    public const string Ready = "ready";

    /// <summary>Probes time out after this, below the 3 s the Kubernetes readiness probe waits.</summary>
    internal static readonly TimeSpan Timeout = TimeSpan.FromSeconds(2);

    public static IHealthChecksBuilder AddPostgres(this IHealthChecksBuilder checks, string connectionString)
    {
        checks.Services.TryAddSingleton<DatabaseReplicationMetrics>();
        checks.Services.TryAddSingleton(services => new PostgresHealthCheck(connectionString, services.GetRequiredService<DatabaseReplicationMetrics>()));
        return checks.AddCheck<PostgresHealthCheck>("postgres", tags: [Ready]);
    }

    public static IHealthChecksBuilder AddRedis(this IHealthChecksBuilder checks, string configuration)
    {
        checks.Services.TryAddSingleton(new RedisHealthCheck(configuration));
        return checks.AddCheck<RedisHealthCheck>("redis", tags: [Ready]);
    }
}

/// <summary>
/// PostgreSQL answers, within the timeout, a query about its role and replication (recorded in
/// <see cref="DatabaseReplicationMetrics"/>). Opening a pooled connection alone proves nothing: it may not reach the server.
/// </summary>
public sealed class PostgresHealthCheck(string connectionString, DatabaseReplicationMetrics replication) : IHealthCheck, IAsyncDisposable
{
    private readonly NpgsqlDataSource _dataSource = new NpgsqlDataSourceBuilder(
        new NpgsqlConnectionStringBuilder(connectionString)
        {
            Timeout = (int)StoreHealthChecks.Timeout.TotalSeconds,
            CommandTimeout = (int)StoreHealthChecks.Timeout.TotalSeconds,
            ApplicationName = "payments-health",
        }.ConnectionString)
    {
        Name = "health",
    }.Build();

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken)
    {
        try
        {
            await using var command = _dataSource.CreateCommand(DatabaseReplicationMetrics.Query);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            await reader.ReadAsync(cancellationToken);
            var seesReplication = reader.GetBoolean(1);
            replication.Record(new DatabaseReplication(
                IsPrimary: reader.GetBoolean(0),
                SyncStandbys: seesReplication ? reader.GetInt64(2) : null,
                ReplayLagSeconds: seesReplication ? reader.GetDouble(3) : null));
            return HealthCheckResult.Healthy();
        }
        catch (Exception ex) when (ex is NpgsqlException or TimeoutException or InvalidOperationException)
        {
            replication.RecordUnreachable();
            return HealthCheckResult.Unhealthy("PostgreSQL unreachable", ex);
        }
    }

    public ValueTask DisposeAsync() => _dataSource.DisposeAsync();
}

/// <summary>Redis answers PING, on one connection kept for the probes (connecting anew every 5 s costs more than the check).</summary>
public sealed class RedisHealthCheck(string configuration) : IHealthCheck, IAsyncDisposable
{
    private readonly SemaphoreSlim _connecting = new(1, 1);
    private ConnectionMultiplexer? _redis;

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken)
    {
        try
        {
            var redis = await ConnectAsync(cancellationToken);
            await redis.GetDatabase().PingAsync().WaitAsync(StoreHealthChecks.Timeout, cancellationToken);
            return HealthCheckResult.Healthy();
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            return HealthCheckResult.Unhealthy("Redis unreachable", ex);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_redis is not null)
        {
            await _redis.DisposeAsync();
        }

        _connecting.Dispose();
    }

    private async Task<ConnectionMultiplexer> ConnectAsync(CancellationToken cancellationToken)
    {
        if (_redis is { } connected)
        {
            return connected;
        }

        await _connecting.WaitAsync(cancellationToken);
        try
        {
            if (_redis is null)
            {
                var options = ConfigurationOptions.Parse(configuration);
                // Keep the multiplexer when the server is down at first: it reconnects by itself.
                options.AbortOnConnectFail = false;
                options.ConnectTimeout = (int)StoreHealthChecks.Timeout.TotalMilliseconds;
                _redis = await ConnectionMultiplexer.ConnectAsync(options);
            }

            return _redis;
        }
        finally
        {
            _connecting.Release();
        }
    }
}
