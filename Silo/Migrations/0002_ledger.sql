-- The ledger: every change to an account is one row, and the rows are the truth.
-- Primary key (account_id, seq) is the fence: a second activation of an account (another region during a
-- failover, a split brain) that tries to write a seq that is already taken fails, reloads and decides again.
-- (account_id, entry_id) unique makes a payment id / Idempotency-Key exactly-once per account.
-- Both keys lead with account_id, so the table can be hash-partitioned by account without changing a query.

CREATE TABLE IF NOT EXISTS accounts (
    account_id   text        PRIMARY KEY,
    home_region  text        NOT NULL,
    currency     char(3)     NOT NULL,
    created_at   timestamptz NOT NULL
);

CREATE TABLE IF NOT EXISTS ledger (
    account_id      text        NOT NULL,
    seq             bigint      NOT NULL CHECK (seq > 0),
    kind            text        NOT NULL CHECK (kind IN ('open', 'payment', 'deposit', 'settings')),
    entry_id        text        NOT NULL,
    request_hash    text        NOT NULL,
    amount          bigint      NOT NULL CHECK (amount >= 0),
    currency        char(3)     NOT NULL,
    merchant        text,
    mcc             char(4),
    reference       text,
    status          text        NOT NULL CHECK (status IN ('approved', 'declined')),
    decline_reason  text,
    -- Invariant 1 again, as the last line of defence: no row can leave a balance below zero.
    balance_after   bigint      NOT NULL CHECK (balance_after >= 0),
    created_at      timestamptz NOT NULL,
    business_date   date        NOT NULL,
    decided_by      text        NOT NULL,
    settings        jsonb,
    PRIMARY KEY (account_id, seq),
    CONSTRAINT ledger_entry_id_unique UNIQUE (account_id, entry_id)
);

-- The settlement totals a closed business day across all accounts of a region.
CREATE INDEX IF NOT EXISTS ledger_business_date ON ledger (business_date);
