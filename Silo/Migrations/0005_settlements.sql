-- The off-peak settlement: each closed business day of a region totalled per account from the ledger.
-- One row per (region, business day, account) that had payments or deposits that day; written set-based by chunks of
-- accounts, each chunk in one statement with its progress, so a run resumes where it stopped and running it
-- again writes the same rows.
CREATE TABLE IF NOT EXISTS settlements (
    region           text        NOT NULL,
    business_date    date        NOT NULL,
    account_id       text        NOT NULL,
    currency         char(3)     NOT NULL,
    approved_count   bigint      NOT NULL CHECK (approved_count >= 0),
    approved_amount  bigint      NOT NULL CHECK (approved_amount >= 0),
    declined_count   bigint      NOT NULL CHECK (declined_count >= 0),
    deposit_count    bigint      NOT NULL CHECK (deposit_count >= 0),
    deposit_amount   bigint      NOT NULL CHECK (deposit_amount >= 0),
    settled_at       timestamptz NOT NULL,
    PRIMARY KEY (region, business_date, account_id)
);

-- One row per (region, business day) run: the accounts up to after_account (in account_id order) are settled;
-- finished_at is set once the last chunk is written. A chunk locks this row, so two runners of the same day
-- (two silos, two clusters during a failover) take turns instead of duplicating work.
CREATE TABLE IF NOT EXISTS settlement_runs (
    region         text        NOT NULL,
    business_date  date        NOT NULL,
    after_account  text        NOT NULL DEFAULT '',
    accounts       bigint      NOT NULL DEFAULT 0,
    chunks         integer     NOT NULL DEFAULT 0,
    started_at     timestamptz NOT NULL,
    finished_at    timestamptz,
    PRIMARY KEY (region, business_date)
);

-- A chunk reads one business day's ledger rows in account order from a given account: this index serves
-- that range directly. It supersedes the single-column index of 0002, which it replaces. On a large live
-- ledger, build it first by hand with CREATE INDEX CONCURRENTLY (same name): this statement then does nothing.
CREATE INDEX IF NOT EXISTS ledger_business_date_account ON ledger (business_date, account_id);
DROP INDEX IF EXISTS ledger_business_date;
