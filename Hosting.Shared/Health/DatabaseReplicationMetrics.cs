using System.Diagnostics.Metrics;

namespace Payments.Hosting.Health;

/// <summary>
/// What the PostgreSQL readiness check last saw of the server it reached, on the "Payments.Database" meter: whether it
/// is a primary, how many synchronous standbys stream from it, and their largest replay lag. The store's role and
/// replication as every process sees them, from its own connection string (a multi-host one reaches the primary),
/// with no exporter beside the database.
/// </summary>
public sealed class DatabaseReplicationMetrics : IDisposable
{
    public const string MeterName = "Payments.Database";

    /// <summary>
    /// One round trip. pg_stat_replication shows a standby's state and lag only to superusers and members of
    /// pg_read_all_stats (pg_monitor); to anyone else those columns are null, so they are reported only when visible.
    /// </summary>
    public const string Query = """
        SELECT NOT pg_is_in_recovery(),
               pg_has_role('pg_read_all_stats', 'USAGE'),
               (SELECT count(*) FROM pg_stat_replication WHERE sync_state IN ('sync', 'quorum')),
               (SELECT COALESCE(EXTRACT(EPOCH FROM max(replay_lag)), 0)::float8 FROM pg_stat_replication)
        """;

    private readonly Meter _meter = new(MeterName);
    private volatile DatabaseReplication? _last;

    public DatabaseReplicationMetrics()
    {
        _meter.CreateObservableGauge("payments.database.primary", ObservePrimary, "{server}",
            "1 when the last readiness check reached a primary PostgreSQL server, 0 when it reached a standby or none");
        _meter.CreateObservableGauge("payments.database.sync_standbys", ObserveStandbys, "{server}",
            "Synchronous standbys streaming from the primary, as of the last readiness check");
        _meter.CreateObservableGauge("payments.database.replication.lag", ObserveLag, "s",
            "Largest replay lag of the primary's standbys as of the last readiness check; 0 when none lags or none is connected");
    }

    public void Record(DatabaseReplication observed) => _last = observed;

    /// <summary>The check reached no server.</summary>
    public void RecordUnreachable() => _last = new DatabaseReplication(IsPrimary: false, SyncStandbys: null, ReplayLagSeconds: null);

    public void Dispose() => _meter.Dispose();

    private IEnumerable<Measurement<int>> ObservePrimary() =>
        _last is { } last ? [new(last.IsPrimary ? 1 : 0)] : [];

    private IEnumerable<Measurement<long>> ObserveStandbys() =>
        _last is { IsPrimary: true, SyncStandbys: { } standbys } ? [new(standbys)] : [];

    private IEnumerable<Measurement<double>> ObserveLag() =>
        _last is { IsPrimary: true, ReplayLagSeconds: { } lag } ? [new(lag)] : [];
}

/// <summary>One observation of the server; null where the connection's role may not see replication.</summary>
public sealed record DatabaseReplication(bool IsPrimary, long? SyncStandbys, double? ReplayLagSeconds);
