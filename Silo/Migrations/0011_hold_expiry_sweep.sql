-- The region's expiry sweep (Grains/Accounts/Holds/Expiry): it walks the rows that set an expiry (approved
-- authorizations and increments, authorization advices) in the order (expires_at, account_id, seq) from where its last
-- pass stopped, so the index carries all three; account ids in bytewise order, as the sweep compares them. It replaces
-- migration 0008's index on expires_at alone.
CREATE INDEX IF NOT EXISTS ledger_hold_expiry_sweep ON ledger (expires_at, account_id COLLATE "C", seq)
    WHERE expires_at IS NOT NULL;
DROP INDEX IF EXISTS ledger_hold_expiry;

-- How far each region's sweep got: the last row it walked past. Rows before it are released or were not due.
CREATE TABLE IF NOT EXISTS hold_expiry_sweeps (
    region      text        PRIMARY KEY,
    expires_at  timestamptz NOT NULL,
    account_id  text        NOT NULL,
    seq         bigint      NOT NULL,
    saved_at    timestamptz NOT NULL
);
