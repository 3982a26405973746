-- The event feed (ADR 0016): every ledger row carries the id of the transaction that wrote it. A reader hands out a
-- row only once its transaction id is below the xmin of its own snapshot (pg_snapshot_xmin(pg_current_snapshot())):
-- every transaction below that horizon has ended, so no row with a smaller position can commit later, and a cursor
-- (txid, account, seq) never skips one. Transaction ids are the database's own and travel to a promoted standby,
-- so the cursor stays valid across a Patroni failover with no replication slot to carry over.
-- The insert does not name the column: its default records the writing transaction.
ALTER TABLE ledger ADD COLUMN IF NOT EXISTS txid xid8 NOT NULL DEFAULT pg_current_xact_id();
CREATE INDEX IF NOT EXISTS ledger_feed ON ledger (txid, account_id COLLATE "C", seq);

-- Webhook endpoints (docs/events.md). The secret is stored encrypted (AES-GCM, key from the silos' configuration):
-- a reader of the database cannot sign as the bank. The delivery worker of an endpoint holds its lease: one owner at a
-- time across both regions, whatever each region's cluster believes. lease_token grows with every new owner and
-- fences the owner's writes (its cursor, its parked events): a worker that lost the lease writes nothing.
-- Endpoints belong to a deployment (the Orleans ServiceId both regions share), as grain storage rows do.
CREATE TABLE IF NOT EXISTS webhook_endpoints (
    endpoint_id      text        PRIMARY KEY,
    service_id       text        NOT NULL,
    url              text        NOT NULL,
    types            text[]      NOT NULL,
    description      text        NOT NULL,
    secret           bytea       NOT NULL,
    status           text        NOT NULL CHECK (status IN ('enabled', 'disabled')),
    created_at       timestamptz NOT NULL,
    updated_at       timestamptz NOT NULL,
    -- Every matching event up to this feed position was delivered or is in webhook_parked.
    cursor           text        NOT NULL,
    lease_owner      text,
    lease_token      bigint      NOT NULL DEFAULT 0,
    lease_expires_at timestamptz
);
CREATE INDEX IF NOT EXISTS webhook_endpoints_service ON webhook_endpoints (service_id, created_at);

-- Every delivery attempt, as GET /v1/webhook-endpoints/{id}/deliveries lists them (newest first).
CREATE TABLE IF NOT EXISTS webhook_attempts (
    endpoint_id      text        NOT NULL REFERENCES webhook_endpoints ON DELETE CASCADE,
    attempt_id       bigint      GENERATED ALWAYS AS IDENTITY,
    event_id         text        NOT NULL,
    account_id       text        NOT NULL,
    seq              bigint      NOT NULL,
    attempted_at     timestamptz NOT NULL,
    status_code      integer,
    error            text,
    duration_ms      integer     NOT NULL,
    next_attempt_at  timestamptz,
    PRIMARY KEY (endpoint_id, attempt_id)
);

-- Events that failed for over an hour: they stop holding their account's later events back and go on being retried
-- from here, so the cursor may pass them. first_failed_at starts the 3 days after which the endpoint is disabled.
CREATE TABLE IF NOT EXISTS webhook_parked (
    endpoint_id      text        NOT NULL REFERENCES webhook_endpoints ON DELETE CASCADE,
    account_id       text        NOT NULL,
    seq              bigint      NOT NULL,
    first_failed_at  timestamptz NOT NULL,
    PRIMARY KEY (endpoint_id, account_id, seq)
);
