-- Who did what in the back office: account creation, limit and status changes, region rules changes,
-- API key creation and revocation. Append-only; before/after are the JSON views of the changed thing.
CREATE TABLE IF NOT EXISTS admin_audit (
    id      bigserial   PRIMARY KEY,
    at      timestamptz NOT NULL DEFAULT now(),
    actor   text        NOT NULL,
    action  text        NOT NULL,
    target  text        NOT NULL,
    before  jsonb,
    after   jsonb
);

CREATE INDEX IF NOT EXISTS admin_audit_target ON admin_audit (target, at);
