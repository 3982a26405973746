-- Region rules, administered per region through the API (RegionRulesGrain), shared by both regions' clusters.
-- The version column is the contract's optimistic-concurrency version: a write names the version it read
-- (UPDATE ... WHERE version = @expected) and bumps it. The rules themselves are the API's JSON, so an operator
-- can read them with psql; every change also writes an admin_audit row in the same statement.
CREATE TABLE IF NOT EXISTS region_rules (
    region      text        PRIMARY KEY,
    version     bigint      NOT NULL CHECK (version > 0),
    rules       jsonb       NOT NULL,
    updated_at  timestamptz NOT NULL,
    updated_by  text        NOT NULL
);
