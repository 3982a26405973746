-- The ledger as typed changes, and room for the authorization lifecycle (holds, captures, reversals, expiry, refunds,
-- advices).
-- Each row now carries its change as a versioned JSON payload (payload_version, payload: Grains/Ledger/Changes); the
-- grain replays rows from the payload only. The plain columns (amount, currency, merchant, mcc, reference, status,
-- decline_reason, authorization_id, expires_at, hold_closed, refund_of) are a projection of the payload for set-based
-- readers (settlement, audits); the settings column is no longer written (the payload holds the settings).
-- On a large live ledger, run the backfill UPDATE below by hand in batches of accounts first: it then updates nothing.

ALTER TABLE ledger ADD COLUMN IF NOT EXISTS payload_version  smallint;
ALTER TABLE ledger ADD COLUMN IF NOT EXISTS payload          jsonb;
-- What the account had available (balance - pending holds) after the row.
ALTER TABLE ledger ADD COLUMN IF NOT EXISTS available_after  bigint;
-- The authorization a row belongs to (the authorization row itself and its increments, captures, reversals, expiry).
ALTER TABLE ledger ADD COLUMN IF NOT EXISTS authorization_id text;
-- When the hold expires, on rows that set it (an approved authorization or increment, an authorization advice).
ALTER TABLE ledger ADD COLUMN IF NOT EXISTS expires_at       timestamptz;
-- True on the row after which its authorization holds nothing any more (final capture, last reversal, expiry, ...).
ALTER TABLE ledger ADD COLUMN IF NOT EXISTS hold_closed      boolean NOT NULL DEFAULT false;
-- The payment or capture a refund gives money back for.
ALTER TABLE ledger ADD COLUMN IF NOT EXISTS refund_of        text;

-- Rows written before this migration: open, payment, deposit and settings rows, no holds.
UPDATE ledger SET
    payload_version = 1,
    available_after = balance_after,
    payload = CASE kind
        WHEN 'open' THEN jsonb_build_object(
            'currency', currency, 'initialBalance', amount,
            'settings', jsonb_set(settings, '{status}', to_jsonb(
                CASE settings->>'status' WHEN '0' THEN 'active' WHEN '1' THEN 'frozen' ELSE 'closed' END)))
        WHEN 'settings' THEN jsonb_build_object(
            'currency', currency,
            'settings', jsonb_set(settings, '{status}', to_jsonb(
                CASE settings->>'status' WHEN '0' THEN 'active' WHEN '1' THEN 'frozen' ELSE 'closed' END)))
        WHEN 'payment' THEN jsonb_build_object(
            'amount', amount, 'currency', currency, 'merchant', merchant, 'mcc', mcc, 'status', status,
            'declineReason', decline_reason)
        WHEN 'deposit' THEN jsonb_build_object('amount', amount, 'currency', currency, 'reference', reference)
    END
WHERE payload IS NULL;

ALTER TABLE ledger ALTER COLUMN payload_version SET NOT NULL;
ALTER TABLE ledger ALTER COLUMN payload SET NOT NULL;
ALTER TABLE ledger ALTER COLUMN available_after SET NOT NULL;

ALTER TABLE ledger DROP CONSTRAINT IF EXISTS ledger_kind_check;
ALTER TABLE ledger ADD CONSTRAINT ledger_kind_check CHECK (kind IN (
    'open', 'payment', 'deposit', 'settings', 'authorization', 'increment', 'capture', 'reversal', 'expiry',
    'refund', 'advice'));

-- Invariant 1 as the last line of defence, now with holds: none of the system's own approved decisions (payment,
-- authorization, increment) leaves available money below zero. What the network decided (captures beyond the hold,
-- late clearings, advices) may take the balance below zero, and every later row carries that balance: so the old
-- CHECK (balance_after >= 0) goes.
ALTER TABLE ledger DROP CONSTRAINT IF EXISTS ledger_balance_after_check;
ALTER TABLE ledger DROP CONSTRAINT IF EXISTS ledger_decisions_keep_available;
ALTER TABLE ledger ADD CONSTRAINT ledger_decisions_keep_available CHECK (
    status <> 'approved' OR kind NOT IN ('payment', 'authorization', 'increment') OR available_after >= 0);

-- The region's expiry sweep finds holds that fall due; an authorization's rows and a payment's refunds by account.
CREATE INDEX IF NOT EXISTS ledger_hold_expiry ON ledger (expires_at) WHERE expires_at IS NOT NULL;
CREATE INDEX IF NOT EXISTS ledger_authorization ON ledger (account_id, authorization_id) WHERE authorization_id IS NOT NULL;
CREATE INDEX IF NOT EXISTS ledger_refund_of ON ledger (account_id, refund_of) WHERE refund_of IS NOT NULL;
