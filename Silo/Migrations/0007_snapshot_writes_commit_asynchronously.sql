-- Account snapshots (orleansstorage) are a cache of the ledger: a grain rebuilds its state from the snapshot and the
-- ledger rows after it, and a snapshot only ever holds rows that were durable before it was taken. Losing the last
-- snapshot writes in a PostgreSQL crash therefore loses nothing; the grain replays a few more rows (and a grain
-- whose in-memory version got ahead of the stored one gets a version conflict and reloads).
-- So a snapshot write commits without waiting for its WAL flush (synchronous_commit off for that transaction only):
-- with a snapshot per active account and period, those flushes cost about as much as the payments' own commits.
-- The ledger keeps synchronous_commit on.
UPDATE orleansquery
SET querytext =
    'SELECT orleans_storage_write(@GrainIdHash, @GrainIdN0, @GrainIdN1, @GrainTypeHash, @GrainTypeString,
        @GrainIdExtensionString, @ServiceId, @GrainStateVersion, @PayloadBinary) AS NewGrainStateVersion
     FROM (SELECT set_config(''synchronous_commit'', ''off'', true)) AS asynchronous_commit'
WHERE querykey = 'WriteToStorageKey';
