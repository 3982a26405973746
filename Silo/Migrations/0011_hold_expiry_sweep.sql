-- The region's expiry sweep (Grains/Accounts/Holds/Expiry): it walks the rows that set an expiry (approved
-- authorizations and increments, authorization advices) in the order (expires_at, account_id, seq) from where its last
-- pass stopped. Its index is built by migration 0014, without blocking writes (CREATE INDEX CONCURRENTLY, which cannot
-- run in this file's transaction); this file built it inside the transaction until 2026-12-03, which on a large ledger
-- blocks every write to it for the whole build. Databases migrated before then have that index; 0014 replaces it.

-- How far each region's sweep got: the last row it walked past. Rows before it are released or were not due.
-- saved_at: when the region's own sweep last saved (another region's sweep standing in for it keeps it).
CREATE TABLE IF NOT EXISTS hold_expiry_sweeps (
    region      text        PRIMARY KEY,
    expires_at  timestamptz NOT NULL,
    account_id  text        NOT NULL,
    seq         bigint      NOT NULL,
    saved_at    timestamptz NOT NULL
);
