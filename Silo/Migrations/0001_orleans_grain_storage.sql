-- Grain storage for Microsoft.Orleans.Persistence.AdoNet 10.x (invariant "Npgsql").
--
-- What the provider expects (checked against the 10.4.2 assembly):
--   * at start it runs: SELECT QueryKey, QueryText FROM OrleansQuery WHERE QueryKey IN
--     ('WriteToStorageKey', 'ReadFromStorageKey', 'ClearStorageKey', 'DeleteStorageKey');
--     the first three must exist, DeleteStorageKey is only needed with DeleteStateOnClear = true.
--   * every query gets the parameters @GrainIdHash int, @GrainIdN0 bigint, @GrainIdN1 bigint,
--     @GrainTypeHash int, @GrainTypeString text, @GrainIdExtensionString text (null for integer and
--     GUID keys without an extension), @ServiceId text; write and clear/delete add @GrainStateVersion
--     int (the etag, null before the first write); write adds @PayloadBinary bytea.
--   * read returns the columns PayloadBinary and Version (no row, or a null payload: no state);
--     write returns NewGrainStateVersion; clear/delete return the new version in column 0.
--     A null or unchanged version is reported to the grain as an InconsistentStateException.
--
-- Where this differs from the Orleans reference script: the grain identity is a primary key, so two
-- first writes of the same grain (a duplicate activation in another region, a split brain) cannot
-- both succeed, and the loser gets the same version conflict as any stale writer. The identity is
-- the natural key only; the two hashes are stored (for a future partitioning by hash) but are not
-- part of it, because they come from a configurable hasher and a change of hasher must fail loudly
-- rather than create a second row for the same grain. An absent key extension is stored as '',
-- which is what Orleans itself does when building a key: an empty extension is no extension.
--
-- Re-runnable: IF NOT EXISTS, CREATE OR REPLACE, upserts.

CREATE TABLE IF NOT EXISTS orleansquery
(
    querykey  varchar(64) NOT NULL,
    querytext text        NOT NULL,
    CONSTRAINT orleansquery_pkey PRIMARY KEY (querykey)
);

CREATE TABLE IF NOT EXISTS orleansstorage
(
    grainidextensionstring varchar(512) NOT NULL,
    grainidn0              bigint       NOT NULL,
    grainidn1              bigint       NOT NULL,
    graintypestring        varchar(512) NOT NULL,
    serviceid              varchar(150) NOT NULL,
    grainidhash            integer      NOT NULL,
    graintypehash          integer      NOT NULL,
    payloadbinary          bytea,
    version                integer      NOT NULL CHECK (version > 0),
    modifiedon             timestamptz  NOT NULL DEFAULT now(),
    -- Most selective column first: for string-keyed grains (accounts) n0 = n1 = 0.
    CONSTRAINT orleansstorage_grain_key
        PRIMARY KEY (grainidextensionstring, grainidn0, grainidn1, graintypestring, serviceid)
);

-- A table left by another script (the Orleans reference one has no key) would silently lose the
-- guarantee above: refuse to go on instead.
DO $check$
BEGIN
    IF NOT EXISTS (SELECT 1
                   FROM pg_constraint
                   WHERE conrelid = 'orleansstorage'::regclass
                     AND conname = 'orleansstorage_grain_key'
                     AND contype = 'p') THEN
        RAISE EXCEPTION 'table orleansstorage exists without the primary key orleansstorage_grain_key; '
                        'it was not created by this migration';
    END IF;
END
$check$;

-- Returns the new version, or NULL when nothing was written: either a first write (expected version
-- NULL) lost to another writer of the same grain, or the stored version is not the expected one.
CREATE OR REPLACE FUNCTION orleans_storage_write(
    p_grain_id_hash          integer,
    p_grain_id_n0            bigint,
    p_grain_id_n1            bigint,
    p_grain_type_hash        integer,
    p_grain_type             text,
    p_grain_id_extension     text,
    p_service_id             text,
    p_expected_version       integer,
    p_payload                bytea)
    RETURNS integer
    LANGUAGE plpgsql
AS $write$
DECLARE
    v_extension   text := coalesce(p_grain_id_extension, '');
    v_new_version integer;
BEGIN
    IF p_expected_version IS NULL THEN
        -- A concurrent insert of the same key waits for the first one to commit, then does nothing.
        INSERT INTO orleansstorage AS s
            (grainidextensionstring, grainidn0, grainidn1, graintypestring, serviceid,
             grainidhash, graintypehash, payloadbinary, version, modifiedon)
        VALUES (v_extension, p_grain_id_n0, p_grain_id_n1, p_grain_type, p_service_id,
                p_grain_id_hash, p_grain_type_hash, p_payload, 1, now())
        ON CONFLICT ON CONSTRAINT orleansstorage_grain_key DO NOTHING
        RETURNING s.version INTO v_new_version;
    ELSE
        UPDATE orleansstorage AS s
        SET payloadbinary = p_payload,
            version       = s.version + 1,
            modifiedon    = now(),
            grainidhash   = p_grain_id_hash,
            graintypehash = p_grain_type_hash
        WHERE s.grainidextensionstring = v_extension
          AND s.grainidn0 = p_grain_id_n0
          AND s.grainidn1 = p_grain_id_n1
          AND s.graintypestring = p_grain_type
          AND s.serviceid = p_service_id
          AND s.version = p_expected_version
        RETURNING s.version INTO v_new_version;
    END IF;

    RETURN v_new_version;
END
$write$;

INSERT INTO orleansquery (querykey, querytext)
VALUES
    ('WriteToStorageKey',
     'SELECT orleans_storage_write(@GrainIdHash, @GrainIdN0, @GrainIdN1, @GrainTypeHash, @GrainTypeString,
        @GrainIdExtensionString, @ServiceId, @GrainStateVersion, @PayloadBinary) AS NewGrainStateVersion'),

    ('ReadFromStorageKey',
     'SELECT payloadbinary AS PayloadBinary, version AS Version
      FROM orleansstorage
      WHERE grainidextensionstring = coalesce(@GrainIdExtensionString, '''')
        AND grainidn0 = @GrainIdN0
        AND grainidn1 = @GrainIdN1
        AND graintypestring = @GrainTypeString
        AND serviceid = @ServiceId'),

    -- Keeps the row (and its version) with no payload; one row back in every case, NULL on a conflict.
    ('ClearStorageKey',
     'WITH cleared AS (
          UPDATE orleansstorage
          SET payloadbinary = NULL, version = version + 1, modifiedon = now()
          WHERE grainidextensionstring = coalesce(@GrainIdExtensionString, '''')
            AND grainidn0 = @GrainIdN0
            AND grainidn1 = @GrainIdN1
            AND graintypestring = @GrainTypeString
            AND serviceid = @ServiceId
            AND version = @GrainStateVersion
          RETURNING version)
      SELECT (SELECT version FROM cleared) AS NewGrainStateVersion'),

    -- Used with DeleteStateOnClear = true: removes the row; NULL on a conflict.
    ('DeleteStorageKey',
     'WITH deleted AS (
          DELETE FROM orleansstorage
          WHERE grainidextensionstring = coalesce(@GrainIdExtensionString, '''')
            AND grainidn0 = @GrainIdN0
            AND grainidn1 = @GrainIdN1
            AND graintypestring = @GrainTypeString
            AND serviceid = @ServiceId
            AND version = @GrainStateVersion
          RETURNING version)
      SELECT (SELECT version + 1 FROM deleted) AS NewGrainStateVersion')
ON CONFLICT (querykey) DO UPDATE SET querytext = excluded.querytext;
