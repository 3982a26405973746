-- API keys issued through the admin API or the `keys` command. Only the SHA-256 of a key is stored
-- (256 random bits: a fast hash is enough, see docs/adr/0009). A revoked key stays, for the audit's sake.
CREATE TABLE IF NOT EXISTS api_keys (
    id          text        PRIMARY KEY CHECK (id ~ '^[0-9a-f]{16}$'),
    name        text        NOT NULL,
    role        text        NOT NULL CHECK (role IN ('admin', 'terminal')),
    merchant    text        CHECK (merchant IS NULL OR role = 'terminal'),
    key_hash    bytea       NOT NULL UNIQUE CHECK (octet_length(key_hash) = 32),
    created_at  timestamptz NOT NULL,
    created_by  text        NOT NULL,
    revoked_at  timestamptz,
    revoked_by  text,
    CHECK ((revoked_at IS NULL) = (revoked_by IS NULL))
);

-- A name is the rate-limit partition and the audit's actor: one active key per name.
CREATE UNIQUE INDEX IF NOT EXISTS api_keys_active_name ON api_keys (name) WHERE revoked_at IS NULL;
