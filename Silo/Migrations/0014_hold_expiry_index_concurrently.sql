-- payments:no-transaction
-- The expiry sweep's index, built without blocking writes to the ledger: CREATE INDEX CONCURRENTLY, which PostgreSQL
-- refuses inside a transaction, so the migrator runs this file's statements one by one outside one (the marker on the
-- first line; Silo/Hosting/SchemaMigrator.cs). The sweep walks the rows that set an expiry in the order
-- (expires_at, account_id, seq), account ids in bytewise order as it compares them.
-- Each statement is harmless to run again: the version is recorded only once all of them succeeded, so a rerun follows
-- a failure, which may have left an INVALID index of the new name behind; it is dropped and built again.
DROP INDEX CONCURRENTLY IF EXISTS ledger_hold_expiry_walk;
CREATE INDEX CONCURRENTLY ledger_hold_expiry_walk ON ledger (expires_at, account_id COLLATE "C", seq)
    WHERE expires_at IS NOT NULL;
-- The same index as migration 0011 built it before 2026-12-03 (blocking writes), and migration 0008's on expires_at alone.
DROP INDEX CONCURRENTLY IF EXISTS ledger_hold_expiry_sweep;
DROP INDEX CONCURRENTLY IF EXISTS ledger_hold_expiry;
